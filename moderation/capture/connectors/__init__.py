"""One connector per platform behind one interface (``base.Connector``)."""

from moderation.capture.connectors.base import Connector, connector_for

__all__ = ["Connector", "connector_for"]
