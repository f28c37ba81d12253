"""Home: every service as a large tile; with many services, a tile per category first."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from kiosk.model import Bilingual, ServiceInfo
from kiosk.screens.base import KioskScreen
from kiosk.texts import Lang, t
from kiosk.widgets import KioskHeader, ServiceTile

# Up to this many services fit one screen of tiles; past it, a slow reader is better served
# by choosing the department (category) first, as on the halls' own paper signs.
ONE_SCREEN = 9


@dataclass(frozen=True)
class Category:
    name: Bilingual | None  # None: services the hall did not put in a category
    services: tuple[ServiceInfo, ...]

    def title(self, lang: Lang) -> str:
        return self.name.pick(lang) if self.name is not None else t("other_category", lang)


def categories(services: tuple[ServiceInfo, ...]) -> list[Category] | None:
    """Categories in first-seen order ("other" last), or None when one screen of tiles fits."""
    names = {s.category for s in services}
    if len(services) <= ONE_SCREEN or len(names) <= 1:
        return None
    grouped: dict[Bilingual | None, list[ServiceInfo]] = {}
    for service in services:
        grouped.setdefault(service.category, []).append(service)
    if None in grouped:
        grouped[None] = grouped.pop(None)
    return [Category(name, tuple(members)) for name, members in grouped.items()]


class CategoryTile(Button):
    def __init__(self, index: int, category: Category, lang: Lang) -> None:
        super().__init__("", id=f"cat-{index}", classes="tile")
        self.category = category
        self.relabel(category, lang)

    def relabel(self, category: Category, lang: Lang) -> None:
        self.category = category
        sep = ", " if lang == "en" else "、"
        names = sep.join(s.name.pick(lang) for s in category.services)
        if len(names) > 24:
            names = names[:23] + "…"
        self.label = Content(f"{category.title(lang)}\n{names}")


class TileScreen(KioskScreen):
    """A screen of tiles that follows the catalog as the server updates it."""

    def tiles(self) -> list[Button]:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.kiosk, "catalog", self._catalog_changed, init=False)

    @property
    def _fill_lock(self) -> asyncio.Lock:
        lock: asyncio.Lock | None = getattr(self, "_lock", None)
        if lock is None:
            lock = self._lock = asyncio.Lock()
        return lock

    async def _catalog_changed(self, *_: object) -> None:
        await self.fill()

    async def fill(self) -> None:
        """Rebuild the tiles when the set of tiles changed; otherwise relabel in place."""
        async with self._fill_lock:
            grid = self.query_one(".tiles", Grid)
            wanted = self.tiles()
            if [b.id for b in grid.query_children(Button)] != [b.id for b in wanted]:
                await grid.remove_children()
                await grid.mount_all(wanted)
            self.relabel()


class HomeScreen(TileScreen):
    SCREEN_NAME = "home"

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="choose", markup=False)
        with VerticalScroll(id="catalog"):
            yield Grid(classes="tiles")
        with Horizontal(id="home-actions"):
            # Nothing else ever takes this place: a visitor tapping where 预约签到 always is
            # must not get another visitor's receipt (a reprint lives on its ticket's screen).
            yield Button("", id="checkin", classes="primary")

    async def on_mount(self) -> None:
        self.watch(self.kiosk, "appointments", self._show_checkin, init=True)
        await self.fill()

    def idle_after(self) -> float | None:
        # Whoever switched to English has gone: the next visitor starts in Chinese.
        return self.kiosk.settings.home_lang_reset_after

    def _show_checkin(self, shown: bool) -> None:
        # Only in a hall that takes bookings (issue 6).
        self.query_one("#checkin", Button).display = shown

    def tiles(self) -> list[Button]:
        services = self.kiosk.catalog
        grouped = categories(services)
        if grouped is None:
            return [ServiceTile(s, self.lang) for s in services]
        return [CategoryTile(i, c, self.lang) for i, c in enumerate(grouped)]

    def relabel(self) -> None:
        lang = self.lang
        self.query_one("#choose", Static).update(t("choose", lang))
        self.query_one("#checkin", Button).label = t("checkin", lang)
        services = self.kiosk.catalog
        by_code = {s.code: s for s in services}
        grouped = categories(services) or []
        for tile in self.query(ServiceTile):
            tile.relabel(by_code.get(tile.service.code, tile.service), lang)
        for index, ctile in enumerate(self.query(CategoryTile)):
            ctile.relabel(grouped[index] if index < len(grouped) else ctile.category, lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if isinstance(button, ServiceTile):
            self.kiosk.open_guide(button.service.code)
        elif isinstance(button, CategoryTile):
            self.kiosk.open_category(button.category)
        elif button.id == "checkin":
            self.kiosk.open_check_in()


class CategoryScreen(TileScreen):
    SCREEN_NAME = "category"

    def __init__(self, category: Category) -> None:
        super().__init__()
        self.category = category

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="choose", markup=False)
        with VerticalScroll(id="catalog"):
            yield Grid(classes="tiles")
        with Horizontal(id="category-actions"):
            yield Button("", id="back", classes="secondary")

    async def on_mount(self) -> None:
        await self.fill()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.idle_home_after

    def tiles(self) -> list[Button]:
        fresh = next(
            (c for c in categories(self.kiosk.catalog) or [] if c.name == self.category.name),
            None,
        )
        if fresh is not None:
            self.category = fresh
        return [ServiceTile(s, self.lang) for s in self.category.services]

    def relabel(self) -> None:
        lang = self.lang
        self.query_one("#choose", Static).update(self.category.title(lang))
        self.query_one("#back", Button).label = t("back", lang)
        by_code = {s.code: s for s in self.category.services}
        for tile in self.query(ServiceTile):
            tile.relabel(by_code.get(tile.service.code, tile.service), lang)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, ServiceTile):
            self.kiosk.open_guide(event.button.service.code)
        elif event.button.id == "back":
            self.app.pop_screen()
