"""AssetBin: every asset of the project, with thumbnails and what the rules say about each.

Files and links dropped here (or picked with *Import…*) are imported by the
:class:`~kling_studio.qt.assets.AssetLibrary` off the GUI thread; items can be dragged onto the
slot strip or the timeline (as :data:`~.mime.ASSET_MIME`), or put into a slot from the *Use as*
menu. Each attach is one undo step.
"""

# Qt virtual overrides keep their camelCase names.
# ruff: noqa: N802

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kling_studio.domain import edits
from kling_studio.domain.catalog import Catalog
from kling_studio.domain.providers import ProviderProfiles
from kling_studio.domain.storyboard import Asset
from kling_studio.qt.assets import AssetLibrary
from kling_studio.qt.document import ASSETS, SETTINGS, DocumentChange, StoryboardDocument
from kling_studio.widgets.assets import advice
from kling_studio.widgets.assets.delegate import HASH_ROLE, AssetList, fill_item
from kling_studio.widgets.assets.mime import attach_all, known_asset, read_drop

FILE_FILTER = (
    "Media (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff *.gif *.mp4 *.mov *.m4v *.webm *.mkv);;"
    "All files (*)"
)


class AssetBin(QWidget):
    """The project's assets: import, drop, inspect, and put into slots.

    Attributes:
        list: the :class:`AssetList` (one item per asset, hash in ``HASH_ROLE``).
        import_button, url_button, use_button: the toolbar; ``use_actions`` maps slot keys
            (``start_frame`` …) to the *Use as* actions.
        status: one line saying what is being imported or what went wrong.

    Signals:
        message(str): something the status bar could show (import failures, refusals).
    """

    message = Signal(str)

    def __init__(
        self,
        doc: StoryboardDocument,
        library: AssetLibrary,
        catalog: Catalog,
        providers: ProviderProfiles | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._library = library
        self._catalog = catalog
        self._providers = providers
        self._advice: dict[str, advice.Advice] = {}
        self._failures: list[str] = []  # of the imports since the bin was last idle
        self._pending = 0
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)  # coalesce a burst of imports into one refresh
        self._refresh_timer.timeout.connect(self.refresh)
        self.setAcceptDrops(True)
        self._build()
        library.assets_changed.connect(self._refresh_timer.start)
        library.thumbnail_ready.connect(self._on_library_thumbnail_ready)
        library.import_failed.connect(self._on_library_import_failed)
        library.pending_changed.connect(self._on_library_pending_changed)
        doc.changed.connect(self._on_doc_changed)
        self._remember_storyboard_assets()
        self.refresh()

    def _build(self) -> None:
        self.import_button = QPushButton("Import…", self)
        self.import_button.setToolTip("Import images or videos (or drop files and links here)")
        self.import_button.clicked.connect(self.import_dialog)
        self.use_button = QToolButton(self)
        self.use_button.setText("Use as")
        self.use_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.use_menu = QMenu(self)
        self.use_actions: dict[str, QAction] = {}
        for key, name, _, _ in advice.SLOTS:
            action = self.use_menu.addAction(name)
            action.triggered.connect(lambda _=False, k=key: self.use_selected_as(k))
            self.use_actions[key] = action
        self.use_button.setMenu(self.use_menu)
        self.url_button = QPushButton("Set URL…", self)
        self.url_button.setToolTip("The https address Kling downloads this file from")
        self.url_button.clicked.connect(self._on_url_button_clicked)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.import_button, self.use_button, self.url_button):
            bar.addWidget(w)
        bar.addStretch(1)
        self.list = AssetList(self)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.list.customContextMenuRequested.connect(self._on_list_custom_context_menu_requested)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    # ----- queries (also used by tests) -----

    def hashes(self) -> list[str]:
        """Asset hashes in display order."""
        return [str(self.list.item(i).data(HASH_ROLE)) for i in range(self.list.count())]

    def item_for(self, ref: str) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            if self.list.item(i).data(HASH_ROLE) == ref:
                return self.list.item(i)
        return None

    def advice_for(self, ref: str) -> advice.Advice:
        return self._advice.get(ref, advice.Advice())

    def selected_assets(self) -> list[Asset]:
        sb = self._doc.storyboard
        refs = [str(i.data(HASH_ROLE)) for i in self.list.selectedItems()]
        out = [known_asset(self._library, sb, r) for r in refs]
        return [a for a in out if a is not None]

    def select(self, ref: str) -> None:
        item = self.item_for(ref)
        if item is not None:
            self.list.setCurrentItem(item)

    # ----- actions -----

    def import_dialog(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import media", "", FILE_FILTER)
        if names:
            self._library.import_files([Path(n) for n in names])

    def use_selected_as(self, slot: str) -> None:
        """Put the selected asset(s) into ``slot``; one undo step."""
        chosen = [a for a in self.selected_assets() if a.kind == advice.SLOT_KIND[slot]]
        if not chosen:
            kind = advice.SLOT_KIND[slot]
            self._say(f"{advice.SLOT_NAMES[slot]} takes an {kind}: select one in the bin first.")
            return
        if slot != "reference_images":
            chosen = chosen[:1]

        self._doc.apply(attach_all(slot, chosen), advice.UNDO_TEXT[slot], initiator=self)

    def ask_url(self, ref: str | None = None) -> None:
        """Ask for the https address of an asset (the selected one by default)."""
        sb = self._doc.storyboard
        if ref is None:
            chosen = self.selected_assets()
            ref = chosen[0].hash if chosen else None
        asset = known_asset(self._library, sb, ref) if ref is not None else None
        if asset is None:
            self._say("Select an asset first.")
            return
        url, ok = QInputDialog.getText(
            self, "Set URL", f"https address of “{asset.name}”:", text=asset.url or ""
        )
        if ok:
            self.set_url(asset, url.strip() or None)

    def set_url(self, asset: Asset, url: str | None) -> None:
        """Give an asset its URL: an undo step when the storyboard uses it."""
        if any(a.hash == asset.hash for a in self._doc.storyboard.assets):
            self._doc.apply(
                lambda sb: edits.set_asset_url(sb, asset.hash, url), "Set URL", initiator=self
            )
            return
        try:
            self._library.remember(Asset.model_validate({**asset.model_dump(), "url": url}))
        except ValidationError:
            self._say(f"{asset.name}: the URL must start with https:// or http://")

    # ----- drops -----

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accept_drag(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accept_drag(event)

    def _accept_drag(self, event: QDragMoveEvent) -> None:
        dropped = read_drop(event.mimeData())
        if dropped and not dropped.hashes:  # our own items are already here
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        dropped = read_drop(event.mimeData())
        if not dropped or dropped.hashes:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        for url in dropped.urls:
            self._library.add_url(url)
        if dropped.files:
            self._library.import_files(list(dropped.files))

    # ----- refresh -----

    def refresh(self) -> None:
        """Rebuild the items from the library and the storyboard (keeps the selection)."""
        sb = self._doc.storyboard
        assets = [known_asset(self._library, sb, a.hash) or a for a in self._library.assets]
        self._advice = advice.advise(sb, assets, self._catalog, self._providers)
        selected = {str(i.data(HASH_ROLE)) for i in self.list.selectedItems()}
        current = self.list.currentItem()
        current_ref = current.data(HASH_ROLE) if current is not None else None
        scrolled = self.list.verticalScrollBar().value()
        self.list.clear()
        for asset in assets:
            item = QListWidgetItem(asset.name or asset.hash[:12])
            used = any(a.hash == asset.hash for a in sb.assets)
            fill_item(item, asset, self._advice.get(asset.hash, advice.Advice()), used)
            pixmap = self._library.thumbnail_for(asset.hash)
            if pixmap is not None:
                item.setData(Qt.ItemDataRole.DecorationRole, pixmap)
            self.list.addItem(item)
            item.setSelected(asset.hash in selected)
            if asset.hash == current_ref:
                self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.NoUpdate)
        self.list.verticalScrollBar().setValue(scrolled)
        self._update_buttons()

    def _remember_storyboard_assets(self) -> None:
        for asset in self._doc.storyboard.assets:
            self._library.remember(asset)

    def _update_buttons(self) -> None:
        chosen = self.selected_assets()
        kinds = {a.kind for a in chosen}
        model = self._doc.storyboard.settings.model
        for key, action in self.use_actions.items():
            takes = advice.model_takes(self._catalog, model, key)
            action.setEnabled(takes and advice.SLOT_KIND[key] in kinds)
            action.setToolTip(
                "" if takes else advice.missing_slot_reason(self._catalog, model, key)
            )
        self.use_button.setEnabled(bool(chosen))
        self.url_button.setEnabled(len(chosen) == 1)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    # ----- slots -----

    def _on_doc_changed(self, change: DocumentChange) -> None:
        if change.kinds & {ASSETS, SETTINGS}:
            self._remember_storyboard_assets()
            self._refresh_timer.start()

    def _on_library_thumbnail_ready(self, ref: str) -> None:
        item = self.item_for(ref)
        pixmap = self._library.thumbnail_for(ref)
        if item is not None and pixmap is not None:
            item.setData(Qt.ItemDataRole.DecorationRole, pixmap)

    def _on_library_import_failed(self, name: str, message: str) -> None:
        self._failures.append(message)
        self._show_progress()
        self.message.emit(message)

    def _on_library_pending_changed(self, pending: int) -> None:
        if pending and not self._pending:
            self._failures.clear()  # a new round of imports: older failures are old news
        self._pending = pending
        self._show_progress()

    def _show_progress(self) -> None:
        pending = self._library.pending
        lines = [f"Importing {pending} file{'s' if pending != 1 else ''}…"] if pending else []
        self.status.setText("\n".join(lines + self._failures[-4:]))

    def _on_url_button_clicked(self) -> None:
        self.ask_url()

    def _on_list_custom_context_menu_requested(self, pos: QPoint) -> None:
        if self.list.itemAt(pos) is None:
            return
        menu = QMenu(self)
        for key, name, _, _ in advice.SLOTS:
            action = self.use_actions[key]
            if action.isEnabled():
                menu.addAction(f"Use as {name.lower()}", action.trigger)
        menu.addSeparator()
        menu.addAction("Set URL…", self._on_url_button_clicked)
        menu.exec(self.list.viewport().mapToGlobal(pos))
