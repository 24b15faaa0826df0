"""Plain-language hints per phenomenon code (shown next to the choice on the reporting form and
on "Herken de signalen"). Codes without a hint show none."""

from django.utils.translation import gettext_lazy as _

HINTS = {
    "drugs": _("Veel kort bezoek aan een woning of bedrijf, geur van chemicaliën, afgeplakte ramen."),
    "hennep": _("Hennepgeur, afgeplakte ramen, zoemende ventilatoren, opvallend hoog stroomverbruik."),
    "fraude": _("Papieren die niet kloppen, steeds wisselende namen of adressen, stromannen."),
    "zorgfraude": _("Zorg die wordt gedeclareerd maar niet geleverd, cliënten die niemand ziet."),
    "witwassen": _("Een zaak zonder klanten die toch blijft bestaan, grote contante betalingen."),
    "kamerverhuur": _("Veel wisselende bewoners op één adres, overbewoning, matrassen in bedrijfsruimte."),
    "mensenhandel": _("Mensen die niet vrij lijken te zijn, geen eigen papieren, wonen op het werk."),
    "prostitutie": _("Prostitutie zonder vergunning, advertenties met een woonadres."),
    "gokken": _("Gokautomaten of kaartspel om geld in een zaak zonder vergunning."),
    "heling": _("Veel nieuwe spullen zonder herkomst, contante inkoop zonder vragen."),
    "vuurwerk": _("Opslag van (zwaar) vuurwerk in een woning, schuur of bedrijfspand."),
    "horeca": _("Horeca die vaak van eigenaar wisselt, weinig gasten maar wel open."),
    "vastgoed": _("Panden die contant worden gekocht of vaak van eigenaar wisselen."),
    "geweld": _("Bedreiging of intimidatie van medewerkers, buurtbewoners of ondernemers."),
    "inbrekerswerktuigen": _("Breekijzers, stoorzenders of ander inbrekersgereedschap."),
    "overig": _("Iets anders dat niet klopt? Beschrijf het zo precies mogelijk."),
}
