"""The storyboard timeline: pure geometry, painting, gesture objects and the widget.

Public entry points: :class:`TimelineWidget`, :class:`TimelineActions` and
:class:`TotalDurationControl`.
"""

from kling_studio.widgets.timeline.actions import TimelineActions, TotalDurationControl
from kling_studio.widgets.timeline.widget import TimelineWidget

__all__ = ["TimelineActions", "TimelineWidget", "TotalDurationControl"]
