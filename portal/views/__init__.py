"""The portal's pages: public tracking, the forwarders' dashboard, the operators' monitor."""

from portal.views.forwarder import (
    container_page,
    dashboard,
    export,
    row,
    shipment_page,
    subscriptions,
    watch_add,
    watch_remove,
    watch_upload,
)
from portal.views.operators import (
    acknowledgement_detail,
    customs,
    customs_message_detail,
    gates,
    interchange_detail,
    message_detail,
    message_list,
    overview,
    reprocess,
)
from portal.views.public import track

__all__ = [
    "acknowledgement_detail",
    "customs_message_detail",
    "interchange_detail",
    "container_page",
    "customs",
    "dashboard",
    "export",
    "gates",
    "message_detail",
    "message_list",
    "overview",
    "reprocess",
    "row",
    "shipment_page",
    "subscriptions",
    "track",
    "watch_add",
    "watch_remove",
    "watch_upload",
]
