"""The results' background job: large surveys compute their figures in the
worker, reporting progress for the results page to show."""

from qclub.jobs import municipality_job
from surveys.models import Survey


@municipality_job(name="surveys.compute_results", reports_progress=True)
def compute_results_job(municipality, *, survey_id: int, progress) -> int:
    from surveys.results.services import compute_results

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:  # deleted meanwhile
        return 0
    return compute_results(survey=survey, progress=progress)
