"""What a comune enters so that a survey's results can be weighted to its
population: how many residents (or users) fall in each age band × gender cell.
The cells use the codes of the options of the survey's age-band and gender
questions. Only the comune reads them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from qclub.tenancy import TenantModel
from surveys.models.fieldwork import Survey


class PopulationCell(TenantModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="population_cells")
    age_band = models.CharField(_("fascia d'età"), max_length=60)
    gender = models.CharField(_("genere"), max_length=60)
    count = models.PositiveIntegerField(_("persone"))

    class Meta(TenantModel.Meta):
        ordering = ["survey", "age_band", "gender"]
        constraints = [
            *TenantModel.Meta.constraints,
            models.UniqueConstraint(
                fields=["municipality", "survey", "age_band", "gender"],
                name="surveys_populationcell_once",
            ),
        ]
        verbose_name = _("cella della popolazione")
        verbose_name_plural = _("celle della popolazione")
