"""What a charter says and what a standard promises: the same fields in the
club's model charters and in a comune's charter versions (a comune starts
from a model and copies it field by field, `charters.services`)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.models import QualityDimension

# The limit of every Markdown section, the same for every way in (form, API,
# template copy): a charter section is a page or two, not a book.
MAX_SECTION_LENGTH = 20_000


def _section(label: str, help_text: str = "") -> models.TextField:
    return models.TextField(label, blank=True, max_length=MAX_SECTION_LENGTH, help_text=help_text)


class CharterText(models.Model):
    """The sections of a charter, in Markdown (rendered and sanitised by
    `servicecharters.text`). The complaint and satisfaction sections are
    followed, on the page, by links to the comune's complaint form and
    published surveys: the text says how, the links say where."""

    SECTIONS = (
        "presentation", "access", "hours_places", "costs", "rights_duties",
        "complaints", "satisfaction",
    )

    title = models.CharField(_("titolo"), max_length=200)
    presentation = _section(_("Il servizio"), _("Che cosa offre il servizio e a chi si rivolge."))
    access = _section(_("Come accedere"), _("Requisiti, domanda, documenti, tempi di ammissione."))
    hours_places = _section(_("Orari e sedi"))
    costs = _section(_("Costi"), _("Tariffe, agevolazioni, modalità di pagamento."))
    rights_duties = _section(_("Diritti e doveri degli utenti"))
    complaints = _section(_("Come presentare un reclamo"))
    satisfaction = _section(_("Come misuriamo la soddisfazione"))

    class Meta:
        abstract = True

    def sections(self) -> list[tuple[str, str, str]]:
        """(field name, heading, Markdown) of every section, in order."""
        return [
            (name, str(self._meta.get_field(name).verbose_name), getattr(self, name))
            for name in self.SECTIONS
        ]


# A specific standard with no stated share of cases must hold in every case.
DEFAULT_COMPLIANCE = Decimal("100")


class StandardTerms(models.Model):
    """A quality standard: what is promised and how it is checked.

    A *specific* standard is a threshold each citizen can check in their own
    case (an answer within 20 working days): it is monitored as the share of
    cases in which it was kept, against `compliance_pct`. A *general* standard
    is an average over all cases (a mean wait under 15 minutes): its actual
    value is compared with the target itself. A yes/no commitment is met when
    its actual value is 1 (yes). `monitoring.rules` says it once."""

    class Kind(models.TextChoices):
        SPECIFIC = "specific", _("Specifico")
        GENERAL = "general", _("Generale")

    class Comparator(models.TextChoices):
        AT_MOST = "at_most", _("al massimo")
        AT_LEAST = "at_least", _("almeno")
        YES_NO = "yes_no", _("sì/no")

    position = models.PositiveSmallIntegerField(_("ordine"), default=0)
    dimension = models.CharField(_("dimensione"), max_length=16, choices=QualityDimension.choices)
    kind = models.CharField(_("tipo"), max_length=8, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("standard"), max_length=200, help_text=_("Che cosa si garantisce, in breve."))
    measure = models.TextField(
        _("come si misura"), blank=True, max_length=2000,
        help_text=_("Che cosa si conta o si misura, e da quale fonte."),
    )
    comparator = models.CharField(_("confronto"), max_length=8, choices=Comparator.choices, default=Comparator.AT_MOST)
    target_value = models.DecimalField(
        _("valore garantito"), max_digits=12, decimal_places=4, null=True, blank=True,
    )
    unit = models.CharField(_("unità di misura"), max_length=40, blank=True)
    compliance_pct = models.DecimalField(
        _("casi in cui è rispettato (%)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Per gli standard specifici: la quota di casi in cui lo standard deve essere rispettato."),
    )
    # "<module>/<key>" of a figure another module measures (qclub.modules.Figure):
    # the actual value is then computed, not typed. "" = entered with evidence.
    figure_ref = models.CharField(_("fonte del valore effettivo"), max_length=120, blank=True)
    remedy = models.TextField(
        _("se lo standard non è rispettato"), blank=True, max_length=2000,
        help_text=_("Che cosa riceve il cittadino (per esempio un rimborso) e come chiederlo."),
    )

    class Meta:
        abstract = True
        ordering = ["position", "id"]
