"""The members area's inputs: the view chosen in the URL (period, groups,
context keys, comuni) read the same way by pages and API, and the forms of
peer groups, context descriptors and best practices."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benchmarking.comparisons import selectors as comparisons
from benchmarking.comparisons import services
from benchmarking.comparisons.selectors import Group
from benchmarking.models import BestPractice, ContextValue
from benchmarking.periods import Period
from qclub.models import Municipality, PeerGroup


@dataclass(frozen=True)
class ViewChoice:
    """What a members page or API answer shows, as written in its URL."""

    period: Period | None
    shown: Group
    basis: Group
    context_keys: tuple[str, ...]
    comuni: tuple[str, ...]

    def query(self, **changes) -> str:
        """The URL query of this view, with `changes` (None drops a parameter)."""
        params = {
            "periodo": self.period.code if self.period else None,
            "mostra": self.shown.code,
            "statistiche": self.basis.code if self.basis != self.shown else None,
            "contesto": ",".join(self.context_keys) or None,
            "comuni": ",".join(self.comuni) or None,
        }
        params.update(changes)
        query = QueryDict(mutable=True)
        for key, value in params.items():
            if value:
                query[key] = value
        return query.urlencode(safe=",:")


def _csv(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def view_choice(params) -> ViewChoice:
    """Read `periodo`, `mostra`, `statistiche`, `contesto` and `comuni`; a
    period that does not parse is ignored (the latest one is shown)."""
    try:
        period = Period.parse(params.get("periodo", "")) if params.get("periodo") else None
    except ValueError:
        period = None
    keys = _csv(params.get("contesto"))[:5]
    shown = Group.parse(params.get("mostra"), keys)
    basis = Group.parse(params.get("statistiche"), keys) if params.get("statistiche") else shown
    # `comuni` may come once as a comma list (a shared link) or once per checkbox (the form).
    comuni = ",".join(params.getlist("comuni")) if hasattr(params, "getlist") else params.get("comuni")
    return ViewChoice(period, shown, basis, keys, tuple(dict.fromkeys(_csv(comuni)))[:10])


def group_choices() -> list[tuple[str, str]]:
    """The groups a ranking may show or compute statistics on."""
    return [
        (comparisons.ALL, _("Tutti i comuni del club")),
        (comparisons.REGION, _("Comuni della mia regione")),
        (comparisons.CLASS, _("Comuni della mia classe demografica")),
        (comparisons.SIMILAR, _("Comuni più simili al mio")),
        *((f"group:{pk}", _("Gruppo: %(name)s") % {"name": name})
          for pk, name in PeerGroup.objects.values_list("pk", "name")),
    ]


# --- Forms ------------------------------------------------------------------------
# They read and type the input; the rules and the save are in `comparisons.services`
# (the forms call its checks too, so that a page shows every error at once).


class PeerGroupForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Comuni del gruppo"),
        queryset=Municipality.objects.filter(status=Municipality.Status.MEMBER).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PeerGroup
        fields = ["name", "description", "members"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ContextValueForm(forms.ModelForm):
    class Meta:
        model = ContextValue
        fields = ["year", "key", "value", "note", "shared"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "key": gettext_lazy("Per esempio: modello_front_office, quota_servizi_online, ore_apertura_settimanali."),
            "value": gettext_lazy("Un numero (per il confronto con i comuni simili) o un breve testo."),
            "shared": gettext_lazy("Se attivo, gli altri comuni del club lo vedono accanto ai vostri dati."),
        }

    def clean_year(self):
        year = self.cleaned_data["year"]
        if problems := services.context_year_errors(year):
            raise forms.ValidationError(problems)
        return year


class BestPracticeForm(forms.ModelForm):
    link = forms.URLField(label=gettext_lazy("Documento o pagina"), required=False, assume_scheme="https")

    class Meta:
        model = BestPractice
        fields = ["title", "description", "contact", "link", "attachment"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "attachment": gettext_lazy("Facoltativo: PDF, DOCX, ODT, XLSX, PNG o JPG, al massimo 5 MB."),
        }

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if problems := services.attachment_errors(attachment):
            raise forms.ValidationError(problems)
        return attachment
