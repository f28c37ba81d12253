"""Home: every service as a large tile; with many services, a tile per category first."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Container, Grid, Horizontal
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
        # The department and how many services it has: a list of names would be cut.
        count = t("services_n", lang, n=len(category.services))
        self.label = Content(f"{category.title(lang)}\n{count}")


TILE_ROWS = {"elder": 7, "plain": 6}  # a tile's height with the gap above it
TILE_COLUMNS = {"elder": 2, "plain": 3}


def page_size(width: int, height: int, mode: str) -> int:
    """How many whole tiles fit the tile area: none is ever cut by an edge."""
    columns = TILE_COLUMNS.get(mode, 3) if width >= 60 else 1
    rows = max(1, height // TILE_ROWS.get(mode, 6))  # grid: 1 row above, none below
    return columns * rows


class TileScreen(KioskScreen):
    """A screen of tiles that follows the catalog as the server updates it, in pages of
    whole tiles (上一页/下一页) rather than a scroll that cuts tiles at the edge."""

    page = 0
    per_page = 0

    def tiles(self) -> list[Button]:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.watch(self.kiosk, "catalog", self._catalog_changed, init=False)
        self.watch(self.kiosk, "mode", self._catalog_changed, init=False)

    def _lang_changed(self, lang: Lang) -> None:
        super()._lang_changed(lang)
        self._label_pages()  # the pager is this class's own; `relabel` is each screen's

    def page_bar(self) -> ComposeResult:
        yield Button("", id="page-prev", classes="secondary page")
        yield Static(id="page-of", markup=False)
        yield Button("", id="page-next", classes="secondary page")
        yield Static(classes="spacer")

    async def on_resize(self) -> None:
        self.call_after_refresh(self._repage)

    async def _repage(self) -> None:
        area = self.query_one("#catalog").size
        wanted = page_size(area.width, area.height, self.kiosk.mode)
        if area.area and wanted != self.per_page:
            await self.fill()

    def _page_of(self, every: list[Button]) -> list[Button]:
        area = self.query_one("#catalog").size
        self.per_page = page_size(area.width, area.height, self.kiosk.mode) if area.area else 9
        pages = max(1, -(-len(every) // self.per_page))
        self.page = min(self.page, pages - 1)
        start = self.page * self.per_page
        self.pages = pages
        return every[start : start + self.per_page]

    def _label_pages(self) -> None:
        lang = self.lang
        pages = getattr(self, "pages", 1)
        prev = self.query_one("#page-prev", Button)
        nxt = self.query_one("#page-next", Button)
        prev.label = t("page_prev", lang)
        nxt.label = t("page_next", lang)
        prev.disabled = self.page == 0
        nxt.disabled = self.page >= pages - 1
        for widget in (prev, nxt, self.query_one("#page-of", Static)):
            widget.display = pages > 1
        self.query_one("#page-of", Static).update(
            t("page_of", lang, page=self.page + 1, pages=pages)
        )

    async def turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        await self.fill()

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
            wanted = self._page_of(self.tiles())
            grid.styles.grid_size_columns = min(max(len(wanted), 1), self._columns())
            if [b.id for b in grid.query_children(Button)] != [b.id for b in wanted]:
                await grid.remove_children()
                await grid.mount_all(wanted)
            self.relabel()
            self._label_pages()

    def _columns(self) -> int:
        width = self.query_one("#catalog").size.width
        return TILE_COLUMNS.get(self.kiosk.mode, 3) if width >= 60 or width == 0 else 1


class HomeScreen(TileScreen):
    SCREEN_NAME = "home"
    CLOSES_WHEN_IDLE = False  # home only returns to Chinese for the next visitor

    def compose(self) -> ComposeResult:
        yield KioskHeader()
        yield Static(id="choose", markup=False)
        with Container(id="catalog"):
            yield Grid(classes="tiles")
        with Horizontal(id="home-actions"):
            yield from self.page_bar()
            # Nothing else ever takes this place: a visitor tapping where 预约签到 always is
            # must not get another visitor's receipt (a reprint lives on its ticket's screen).
            yield Button("", id="checkin", classes="primary")

    # Textual runs every class's on_mount, sync or async: this one adds to the base's.
    async def on_mount(self) -> None:  # type: ignore[override]
        self.watch(self.kiosk, "appointments", self._show_checkin, init=True)
        await self.fill()

    def idle_after(self) -> float | None:
        # Whoever switched to English has gone: the next visitor starts in Chinese.
        return self.kiosk.settings.home_lang_reset_after

    def prompt(self) -> str:
        return t("choose", self.lang)

    def _show_checkin(self, shown: bool) -> None:
        # Only in a hall that takes bookings (docs/appointments.md).
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
        for ctile in self.query(CategoryTile):
            index = int((ctile.id or "cat-0").removeprefix("cat-"))  # tiles come in pages
            ctile.relabel(grouped[index] if index < len(grouped) else ctile.category, lang)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button
        if button.id in ("page-prev", "page-next"):
            await self.turn(-1 if button.id == "page-prev" else 1)
        elif isinstance(button, ServiceTile):
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
        with Container(id="catalog"):
            yield Grid(classes="tiles")
        with Horizontal(id="category-actions"):
            yield from self.page_bar()
            yield Button("", id="back", classes="secondary")

    # Textual runs every class's on_mount, sync or async: this one adds to the base's.
    async def on_mount(self) -> None:  # type: ignore[override]
        await self.fill()

    def idle_after(self) -> float | None:
        return self.kiosk.settings.idle_home_after

    def prompt(self) -> str:
        return t("say_category", self.lang, name=self.category.title(self.lang))

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

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("page-prev", "page-next"):
            await self.turn(-1 if event.button.id == "page-prev" else 1)
        elif isinstance(event.button, ServiceTile):
            self.kiosk.open_guide(event.button.service.code)
        elif event.button.id == "back":
            self.app.pop_screen()
