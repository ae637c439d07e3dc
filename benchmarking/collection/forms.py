"""Forms of data collection: the file import upload."""

from django import forms
from django.utils.translation import gettext_lazy

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File da importare"),
        help_text=gettext_lazy(
            "Il modello compilato, in formato CSV UTF-8 (separatore punto e virgola) o Excel .xlsx; "
            "al massimo 2 MB e 5.000 righe."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv," + XLSX_TYPE}),
    )
