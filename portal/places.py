"""Names of the main container ports, by UN/LOCODE, translated like any other text.

The pages show a place as "Shanghai (CNSHA)" (in Chinese "上海 (CNSHA)") where the port is
known here, and by its code alone otherwise: the code is what partners' messages carry and
what people type, the name is what they read. Add a port as a line below, then its Chinese
name in the zh-Hans catalogue.

    >>> place_label("CNSHA")
    'Shanghai (CNSHA)'
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

PORTS = {
    "AEJEA": _("Jebel Ali"),
    "AUMEL": _("Melbourne"),
    "AUSYD": _("Sydney"),
    "BEANR": _("Antwerp"),
    "BRSSZ": _("Santos"),
    "CAMTR": _("Montreal"),
    "CAVAN": _("Vancouver"),
    "CNCAN": _("Guangzhou"),
    "CNDLC": _("Dalian"),
    "CNLYG": _("Lianyungang"),
    "CNNGB": _("Ningbo"),
    "CNNSA": _("Nansha"),
    "CNSHA": _("Shanghai"),
    "CNSHK": _("Shekou"),
    "CNSZX": _("Shenzhen"),
    "CNTAO": _("Qingdao"),
    "CNTXG": _("Tianjin"),
    "CNXMN": _("Xiamen"),
    "CNYTN": _("Yantian"),
    "DEBRV": _("Bremerhaven"),
    "DEHAM": _("Hamburg"),
    "EGPSD": _("Port Said"),
    "ESALG": _("Algeciras"),
    "ESBCN": _("Barcelona"),
    "ESVLC": _("Valencia"),
    "FRLEH": _("Le Havre"),
    "GBFXT": _("Felixstowe"),
    "GBSOU": _("Southampton"),
    "GRPIR": _("Piraeus"),
    "HKHKG": _("Hong Kong"),
    "IDJKT": _("Jakarta"),
    "INNSA": _("Nhava Sheva"),
    "ITGOA": _("Genoa"),
    "JPOSA": _("Osaka"),
    "JPTYO": _("Tokyo"),
    "JPUKB": _("Kobe"),
    "JPYOK": _("Yokohama"),
    "KRPUS": _("Busan"),
    "LKCMB": _("Colombo"),
    "MAPTM": _("Tanger Med"),
    "MXZLO": _("Manzanillo"),
    "MYPKG": _("Port Klang"),
    "MYTPP": _("Tanjung Pelepas"),
    "NLRTM": _("Rotterdam"),
    "PABLB": _("Balboa"),
    "PHMNL": _("Manila"),
    "PLGDN": _("Gdansk"),
    "SAJED": _("Jeddah"),
    "SGSIN": _("Singapore"),
    "THLCH": _("Laem Chabang"),
    "TWKHH": _("Kaohsiung"),
    "USHOU": _("Houston"),
    "USLAX": _("Los Angeles"),
    "USLGB": _("Long Beach"),
    "USNYC": _("New York"),
    "USOAK": _("Oakland"),
    "USSAV": _("Savannah"),
    "USSEA": _("Seattle"),
    "VNHPH": _("Haiphong"),
    "VNSGN": _("Ho Chi Minh City"),
    "ZADUR": _("Durban"),
}


def place_name(un_location_code: str) -> str:
    """The port's name in the current language, or "" when this table does not know it."""
    name = PORTS.get((un_location_code or "").upper())
    return str(name) if name else ""


def place_label(un_location_code: str) -> str:
    """ "Shanghai (CNSHA)" for a known port, the code alone otherwise."""
    name = place_name(un_location_code)
    if not name:
        return un_location_code or ""
    return gettext("%(name)s (%(code)s)") % {"name": name, "code": un_location_code.upper()}
