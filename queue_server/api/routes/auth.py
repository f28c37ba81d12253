"""Logging in and out, and asking who a token stands for."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from queue_server.api.access import PrincipalDep, bearer_token
from queue_server.api.deps import ServicesDep
from queue_server.api.schemas import Request as Body
from queue_server.domain.access import Staff

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginIn(Body):
    staff_no: Annotated[str, Field(min_length=1, max_length=32)]
    password: Annotated[str, Field(min_length=1, max_length=256)]


class UserOut(BaseModel):
    hall: str
    staff_no: str
    name: str
    role: str


class LoginOut(BaseModel):
    token: str = Field(description="send as 'Authorization: Bearer <token>'; shown once")
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: UserOut


class PrincipalOut(BaseModel):
    kind: Literal["staff", "device"]
    hall: str
    name: str
    role: str | None = None
    staff_no: str | None = None
    device_kind: str | None = None
    window: int | None = Field(None, description="signed in to (staff) or bound to (display)")


@router.post(
    "/login",
    response_model=LoginOut,
    responses={401: {"description": "wrong staff number or password"}, 429: {}},
)
def login(body: LoginIn, request: Request, services: ServicesDep) -> LoginOut:
    address = request.client.host if request.client else "unknown"
    done = services.accounts.login(body.staff_no, body.password, address)
    user = done.user
    return LoginOut(
        token=done.token,
        expires_at=done.expires_at,
        user=UserOut(hall=user.hall, staff_no=user.staff_no, name=user.name, role=user.role),
    )


@router.post("/logout", status_code=204)
def logout(request: Request, services: ServicesDep) -> Response:
    token = bearer_token(request)
    if token is not None:
        services.accounts.logout(token)
    return Response(status_code=204)


@router.get("/me", response_model=PrincipalOut)
def whoami(principal: PrincipalDep) -> PrincipalOut:
    assert principal is not None  # the access rule lets no anonymous caller through
    if isinstance(principal, Staff):
        return PrincipalOut(
            kind="staff",
            hall=principal.hall,
            name=principal.name,
            role=principal.role.value,
            staff_no=principal.staff_no,
            window=principal.window,
        )
    return PrincipalOut(
        kind="device",
        hall=principal.hall,
        name=principal.name,
        device_kind=principal.kind.value,
        window=principal.window,
    )
