"""Every modal question the app asks, in one place (tests patch these functions)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_save_changes(parent: QWidget, name: str) -> str:
    """``save``, ``discard`` or ``cancel`` for a document with unsaved changes."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save the changes to “{name}” before closing?")
    box.setInformativeText("Your changes will be lost if you don't save them.")
    box.setStandardButtons(
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def choose_open_path(parent: QWidget, start: Path | None = None) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(
        parent,
        "Open a project or storyboard",
        str(start or Path.home()),
        "Kling Studio projects and storyboards (project.json *.json);;All files (*)",
    )
    return Path(path) if path else None


def choose_save_path(parent: QWidget, suggested: str, start: Path | None = None) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Save project as",
        str((start or Path.home()) / f"{suggested}.kstudio"),
        "Kling Studio project (*.kstudio)",
    )
    return Path(path) if path else None


def choose_media_files(parent: QWidget) -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent,
        "Import media",
        str(Path.home()),
        "Images and videos (*.jpg *.jpeg *.png *.mp4 *.mov);;All files (*)",
    )
    return [Path(p) for p in paths]


def confirm_submit(parent: QWidget, summary: str, price: str) -> bool:
    """Show the price once more before anything is paid for."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Generate this storyboard?")
    box.setText(f"Generate for {price}?")
    box.setInformativeText(summary)
    go = box.addButton(f"Generate — {price}", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(go)
    box.exec()
    return box.clickedButton() is go


def ask_recover(parent: QWidget, description: str) -> str:
    """``recover``, ``discard`` or ``later`` for an autosave found after a crash."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Recover unsaved work?")
    box.setText("Kling Studio did not close normally last time.")
    box.setInformativeText(description)
    recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(recover)
    box.exec()
    clicked = box.clickedButton()
    if clicked is recover:
        return "recover"
    return "discard" if clicked is discard else "later"


def show_error(parent: QWidget, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


SHORTCUTS = (
    ("Timeline", ""),
    ("← / →", "select the previous / next shot"),
    ("Alt+← / Alt+→", "move the shot earlier / later"),
    ("+ / −", "lengthen / shorten the shot by 1 s (its neighbour compensates)"),
    ("Insert / Ctrl+D / S", "insert a shot / duplicate / split"),
    ("Delete", "delete the shot"),
    ("Ctrl+0", "zoom to fit"),
    ("Esc", "cancel a drag"),
    ("Everywhere", ""),
    ("Ctrl+Z / Ctrl+Shift+Z", "undo / redo (a drag or a typing burst is one step)"),
    ("Ctrl+P", "play / pause the animatic"),
    ("Ctrl+Return", "submit (you confirm the price first)"),
    ("Ctrl+S / Ctrl+Shift+S", "save / save as"),
)


def show_shortcuts(parent: QWidget) -> None:
    rows = "".join(
        f"<tr><td colspan=2><b>{k}</b></td></tr>" if not v else f"<tr><td>{k}</td><td>{v}</td></tr>"
        for k, v in SHORTCUTS
    )
    box = QMessageBox(parent)
    box.setWindowTitle("Keyboard shortcuts")
    box.setText(f"<table cellspacing=4>{rows}</table>")
    box.exec()


def show_about(parent: QWidget, version: str) -> None:
    QMessageBox.about(
        parent,
        "About Kling Studio",
        f"<b>Kling Studio {version}</b><p>Multi-shot storyboards for Kling video models: "
        "live price and API checks before you pay, crash-safe jobs, and an offline simulator "
        "of the Kling API.</p><p>Prices come from dated public rate cards; check them before "
        "relying on them.</p>",
    )
