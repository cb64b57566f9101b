"""The Training toolbar: play/pause, one epoch, one mini-batch, reset, speed, learning rate,
the other settings in a drop-down, and where training stands ("Epoch 132 · loss 0.0421 ·
accuracy 100 %"). A banner explains a diverged run and restores the last good weights.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QApplication, QComboBox, QFrame, QHBoxLayout, QLabel,
    QLineEdit, QMenu, QPlainTextEdit, QPushButton, QSizePolicy, QStatusBar, QStyle, QTextEdit,
    QToolBar, QToolButton, QWidget, QWidgetAction,
)

from ...engine.overflow import non_finite_text
from ...session.session import Session
from ...session.training_clock import DEFAULT_SPEED, SPEEDS, TrainingClock
from ..common.action_helper import add_menu, make_action, set_tips
from ..common.live_text import LiveText
from .training_settings import LearningRateControl, TrainingSettings

SHORTCUTS = {
    "play": "Space",
    "epoch": "Ctrl+T",
    "batch": "Ctrl+B",
    "reset": "Ctrl+Shift+R",
}


def speed_label(speed: float | None) -> str:
    if speed is None:
        return "As fast as possible"
    return f"{speed:g} epoch{'s' if speed != 1 else ''}/s"


def progress_text(session: Session) -> str:
    """Where training stands, e.g. "Epoch 132 · mean loss 0.0421 · accuracy 100 %".

    "Mean": the loss averaged over the training samples, not the one sample the Input panel
    and the diagram show (a student comparing the two numbers should see why they differ)."""
    h = session.project.history
    # A loss summed over the samples (half_sse) is a total, not a mean.
    kind = "total loss" if session.network.loss_fn.sums_samples else "mean loss"
    if not len(h) and not session.has_samples:
        return "No samples to train on"
    if not len(h):
        try:
            loss = session.loss_on_dataset()
        except ValueError:
            return "Not trained yet"
        return f"Not trained yet · {kind} {_number(loss)}"
    parts = [f"Epoch {h.epoch[-1]}", f"{kind} {_number(h.loss[-1])}"]
    if math.isfinite(h.accuracy[-1]):
        parts.append(f"accuracy {_percent(h.accuracy[-1])}")
    if math.isfinite(h.val_loss[-1]):
        parts.append(f"validation loss {_number(h.val_loss[-1])}")
    return " · ".join(parts)


def _number(x: float) -> str:
    if not math.isfinite(x):
        return non_finite_text(x)
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


def _percent(x: float) -> str:
    value = 100.0 * x
    # A no-break space: "100 %" never wraps between the number and its unit.
    return f"{value:.0f}\u00a0%" if value == round(value) else f"{value:.1f}\u00a0%"


# A typical longest text: the toolbar asks for this much room; the status bar keeps the widest.
PROGRESS_SAMPLE = "Epoch 000000 · mean loss 0.000 · accuracy 100.0 %"
PROGRESS_WIDEST = "Epoch 000000 · total loss 0.00e-00 · accuracy 100.0 %"
PROGRESS_TIP = ("The latest epoch's loss and accuracy, averaged over all the training samples "
                "(the Input panel shows the loss of one sample)")


SPACE_CONTROLS = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QTextEdit,
                  QPlainTextEdit)
USES_SPACE_PROPERTY = "uses_space_key"


class SpaceForControls(QObject):
    """Lets a focused control keep the Space key (a button clicks, a check box toggles)
    although Space also plays and pauses training everywhere else in the window.

    A widget of our own that uses Space sets the dynamic property "uses_space_key".
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.ShortcutOverride
                and event.key() == Qt.Key.Key_Space
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and isinstance(watched, QWidget)
                and (isinstance(watched, SPACE_CONTROLS) or watched.property(USES_SPACE_PROPERTY))):
            event.accept()   # the focused control takes the key: no shortcut
            return True
        return False

    def _on_focus_changed(self, old: QWidget | None, now: QWidget | None) -> None:
        # Qt sends ShortcutOverride to the focus widget, so filtering that one widget is
        # enough; an application-wide Python filter would see every event of every object
        # (slow, and it crashed PySide6 on objects still under construction).
        if old is not None:
            old.removeEventFilter(self)
        if now is not None:
            now.installEventFilter(self)

    @classmethod
    def install(cls) -> None:
        app = QApplication.instance()
        if app is not None and not app.property("space_for_controls"):
            guard = cls(app)
            app.focusChanged.connect(guard._on_focus_changed)
            focused = app.focusWidget()
            if focused is not None:
                focused.installEventFilter(guard)
            app.setProperty("space_for_controls", True)


class DivergenceBanner(QFrame):
    """A non-modal message across the top of a host widget when training diverged."""

    restore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("divergence_banner")
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#divergence_banner { background: #fdecea; border: 1px solid #d9534f;"
            " border-radius: 4px; } #divergence_banner QLabel { color: #5a1a17; }")
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(28, 28))
        self.text = QLabel()
        self.text.setObjectName("divergence_text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_button = QPushButton("Restore last good weights")
        self.restore_button.setObjectName("restore_button")
        self.restore_button.setToolTip("Go back to the weights from just before the loss blew up "
                                       "(you can undo this)")
        self.restore_button.clicked.connect(self.restore_requested)
        # Clicking it must not keep the keyboard focus, or Space would press it again.
        self.restore_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        close = QToolButton()
        close.setObjectName("banner_close")
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Hide this message")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str, can_restore: bool) -> None:
        self.text.setText(message)
        self.restore_button.setVisible(can_restore)
        self.show()
        self.raise_()
        self._place()

    def attach(self, host: QWidget) -> None:
        """Float across the top of `host`, following its size."""
        self.setParent(host)
        host.installEventFilter(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self._place()
        return False

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        width = max(min(host.width() - 24, 760), 200)
        height = self.layout().totalHeightForWidth(width)
        self.setFixedSize(width, max(height, self.layout().totalMinimumSize().height()))
        self.move((host.width() - width) // 2, 12)


class TrainingBar(QToolBar):
    """The training controls; its actions also go in the Train menu (`populate_menu`)."""

    message_posted = Signal(str)

    def __init__(self, session: Session, clock: TrainingClock | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Training Toolbar", parent)
        self.setObjectName("toolbar_training")
        self.setToolTip("Train the network: play, step, reset and the learning settings")
        self.session = session
        self.clock = clock or TrainingClock(session, self)
        style = self.style()
        icon = style.standardIcon
        P = QStyle.StandardPixmap
        self._play_icon, self._pause_icon = icon(P.SP_MediaPlay), icon(P.SP_MediaPause)

        self.play_action = make_action(self, "Play", "Train continuously; press again to pause",
                                       self.clock.toggle, SHORTCUTS["play"], icon=self._play_icon)
        SpaceForControls.install()
        self.play_action.setObjectName("play_action")
        self.epoch_action = make_action(
            self, "One Epoch", "Train one epoch: every training sample once", self.clock.step_epoch,
            SHORTCUTS["epoch"], icon=icon(P.SP_MediaSkipForward))
        self.batch_action = make_action(
            self, "One Batch", "Take one gradient-descent step on the next mini-batch "
            "(all samples for batch, one for stochastic gradient descent)",
            self.clock.step_batch, SHORTCUTS["batch"], icon=icon(P.SP_MediaSeekForward))
        self.reset_action = make_action(
            self, "Reset", "Start training over: fresh weights from the seed and an empty loss "
            "history", self.clock.reset, SHORTCUTS["reset"], icon=icon(P.SP_BrowserReload))
        self.restore_action = make_action(
            self, "Restore Last Good Weights", "After training diverged: go back to the weights "
            "from just before the loss blew up", self._on_restore, enabled=False)
        self.addActions([self.play_action, self.epoch_action, self.batch_action, self.reset_action])
        self.addSeparator()

        self.speed_combo = QComboBox()
        self.speed_combo.setObjectName("speed_combo")
        self.speed_combo.setToolTip("How fast training runs: epochs per second, or as fast as the "
                                    "computer can while the window stays responsive")
        self.speed_combo.setAccessibleName("Training speed")
        for speed in SPEEDS:
            self.speed_combo.addItem(speed_label(speed), speed)
        self.speed_combo.currentIndexChanged.connect(self._on_speed_chosen)
        # One click from a watchable speed to no limit and back (the combo takes two).
        self.full_speed_action = make_action(
            self, "Full Speed", "Train as fast as the computer can; click again to go back to "
            f"{speed_label(DEFAULT_SPEED).lower()}", self._on_full_speed, checkable=True)
        self.full_speed_action.setObjectName("full_speed_action")
        self._limited_speed = DEFAULT_SPEED
        self.speed_combo.setCurrentIndex(SPEEDS.index(DEFAULT_SPEED))
        self.addWidget(self._captioned("Speed", self.speed_combo))
        self.addAction(self.full_speed_action)
        self.addSeparator()

        self.learning_rate = LearningRateControl(self.clock, compact=True)
        self.addWidget(self._captioned("Learning rate", self.learning_rate))
        self.settings = TrainingSettings(self.clock)
        self.settings.message_posted.connect(self.message_posted)
        self.settings_button = QToolButton()
        self.settings_button.setObjectName("settings_button")
        self.settings_button.setText("Settings")
        self.settings_button.setToolTip("Optimiser, batch size, momentum, regularisation, seed, "
                                        "validation split and when to stop")
        self.settings_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.settings_menu = QMenu(self.settings_button)
        holder = QWidgetAction(self.settings_menu)
        holder.setDefaultWidget(self.settings)
        self.settings_menu.addAction(holder)
        self.settings_button.setMenu(self.settings_menu)
        self.addWidget(self.settings_button)
        self.addSeparator()

        # Changes every frame while training: LiveText does not re-lay out the window each time.
        self.progress = self._progress_text("training_progress", PROGRESS_SAMPLE)
        self.progress.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._progress_action = self.addWidget(self.progress)
        self.status_progress: LiveText | None = None    # the same in a status bar (compact)

        self.banner = DivergenceBanner()
        self.banner.restore_requested.connect(self._on_restore)

        clock_ = self.clock
        clock_.running_changed.connect(self._on_running_changed)
        clock_.frame.connect(self._update_progress)
        clock_.recorder.history_reset.connect(self._update_progress)
        clock_.diverged.connect(self._on_diverged)
        clock_.stopped.connect(self.message_posted)
        clock_.failed.connect(self._on_failed)
        session.values_changed.connect(self._update_progress)
        session.project_replaced.connect(self.banner.hide)
        self._update_progress()

    # ----- building -----------------------------------------------------------------------

    @staticmethod
    def _progress_text(name: str, sample: str) -> LiveText:
        text = LiveText(sample, opaque=False, parts=" · ")
        text.setObjectName(name)
        text.setToolTip(PROGRESS_TIP)
        return text

    def place_progress(self, status_bar: QStatusBar | None) -> None:
        """Show where training stands in this toolbar (None), or in `status_bar`, with room
        for all of it, where the toolbar has too little (the compact layout)."""
        if status_bar is not None and self.status_progress is None:
            self.status_progress = self._progress_text("status_progress", PROGRESS_WIDEST)
            # The message beside it gives way first; in a window too narrow even for the whole
            # progress (below ~730 px) its last parts go, whole (LiveText), never the epoch:
            # a minimum of the whole text made the window unable to shrink below 726 px.
            epoch = PROGRESS_WIDEST.split(" · ")[0]
            self.status_progress.setMinimumWidth(
                self.status_progress.fontMetrics().horizontalAdvance(epoch + " ·") + 8)
            status_bar.insertPermanentWidget(0, self.status_progress)
            self._update_progress()
        self._progress_action.setVisible(status_bar is None)
        if self.status_progress is not None:
            self.status_progress.setVisible(status_bar is not None)

    @staticmethod
    def _captioned(text: str, control: QWidget) -> QWidget:
        """`control` with its caption before it, as one toolbar item: a toolbar too narrow
        for both moves them into its extension menu (») together, never the caption alone."""
        box = QWidget()
        label = QLabel(f" {text} ", box)
        label.setBuddy(control)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(label)
        layout.addWidget(control)
        # No wider than caption and control: a wide toolbar's spare room went between them
        # (at 1920 px "Learning rate" stood 300 px from its slider); the progress text takes it.
        box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        return box

    def populate_menu(self, menu: QMenu) -> QMenu:
        """Fill the Train menu: the same actions as the bar, and the speeds."""
        menu.setToolTipsVisible(True)
        menu.addActions([self.play_action, self.epoch_action, self.batch_action])
        menu.addSeparator()
        speeds = add_menu(menu, "&Speed", "How many epochs to train per second")
        self.speed_group = QActionGroup(self)
        self.speed_actions: list[QAction] = []
        for index, speed in enumerate(SPEEDS):
            action = make_action(self, speed_label(speed), f"Train at {speed_label(speed).lower()}",
                                 lambda i=index: self.speed_combo.setCurrentIndex(i), checkable=True)
            self.speed_group.addAction(action)
            speeds.addAction(action)
            self.speed_actions.append(action)
        self.speed_actions[self.speed_combo.currentIndex()].setChecked(True)
        speeds.addSeparator()
        speeds.addAction(self.full_speed_action)   # the toolbar's button, from the keyboard too
        menu.addSeparator()
        menu.addActions([self.reset_action, self.restore_action])
        return menu

    # ----- reactions ----------------------------------------------------------------------

    def _on_speed_chosen(self, index: int) -> None:
        speed = self.speed_combo.itemData(index)
        self.clock.set_speed(speed)
        if speed is not None:
            self._limited_speed = speed
        self.full_speed_action.setChecked(speed is None)
        actions = getattr(self, "speed_actions", [])
        if 0 <= index < len(actions):
            actions[index].setChecked(True)

    def _on_full_speed(self) -> None:
        on = self.full_speed_action.isChecked()
        self.speed_combo.setCurrentIndex(SPEEDS.index(None if on else self._limited_speed))

    def _on_running_changed(self, running: bool) -> None:
        self.play_action.setText("Pause" if running else "Play")
        self.play_action.setIcon(self._pause_icon if running else self._play_icon)
        set_tips(self.play_action, "Pause training" if running
                 else "Train continuously; press again to pause")
        if running:
            self.banner.hide()
            self.restore_action.setEnabled(False)
        self._update_progress()

    def _on_diverged(self, message: str) -> None:
        can_restore = self.clock.can_restore_last_good
        self.restore_action.setEnabled(can_restore)
        self.banner.show_message(message, can_restore)
        self.message_posted.emit("Training diverged: lower the learning rate")
        self._update_progress()

    def _on_failed(self, message: str) -> None:
        QApplication.beep()
        self.message_posted.emit(message)

    def _on_restore(self) -> None:
        if self.clock.restore_last_good():
            self.banner.hide()
            self.restore_action.setEnabled(False)
            self.message_posted.emit("Weights restored to the last good ones (Undo brings the "
                                     "diverged ones back)")

    def _update_progress(self, *_args: object) -> None:
        text = progress_text(self.session)
        if self.clock.divergence:
            text += " · diverged"
        # The whole text in the tooltip too: a narrow toolbar drops its last parts.
        tip = f"{text}\n{PROGRESS_TIP}"
        for label in (self.progress, self.status_progress):
            if label is not None:
                label.setText(text)
                label.setToolTip(tip)
