"""China Customs new manifest system (进出境舱单) -> canonical events: one table per kind of message.

:mod:`.sea` the sea manifests and reports of moves (MT1101, MT2101, MT3101, MT3102, MT4101,
MT5101, MT5102), :mod:`.air` the air ones (MT1201, MT2201, MT3201, MT3202, MT4201, MT5201, MT5202),
:mod:`.changes` the applications that steer cargo (MT6101/6102/6201/6202, MT7101, MT8101–8105,
MT8201–8205, MTECIM, MTECEX), :mod:`.transfer_answer` the answer to a transfer check; MT9999
receipts are :mod:`edi.mappings.xml.mt9999`. Each module's docstring says why its types give the
events they do; :mod:`.common` holds what they share.
"""

from edi.mappings.xml.china_manifest import air, changes, sea, transfer_answer

TABLES = (sea, air, changes, transfer_answer)
