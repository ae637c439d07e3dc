"""API shapes of complaints (the staff's and the public intake's)."""

from rest_framework import serializers

from complaints.models import Complaint, ComplaintEvent


class ComplaintRow(serializers.Serializer):
    """A line of the list: no personal data."""

    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    kind = serializers.ChoiceField(choices=Complaint.Kind.choices)
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices)
    received_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Complaint.Status.choices)
    service = serializers.CharField(source="service.code", default=None)
    acknowledge_due = serializers.DateField()
    answer_due = serializers.DateField()
    suspended = serializers.BooleanField()
    overdue = serializers.BooleanField(source="is_overdue")


class EventOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=ComplaintEvent.Kind.choices)
    by_citizen = serializers.BooleanField()
    actor = serializers.CharField(source="actor.username", default=None)
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    text = serializers.CharField()


class ComplaintDetailOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    reference = serializers.CharField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    received_on = serializers.DateField()
    status = serializers.CharField()
    version = serializers.IntegerField()
    service = serializers.CharField(source="service.code", default=None)
    category = serializers.CharField(source="category.code", default=None)
    what_happened = serializers.CharField()
    request = serializers.CharField()
    wants_answer = serializers.BooleanField()
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_address = serializers.CharField()
    acknowledge_due = serializers.DateField()
    answer_due = serializers.DateField()
    suspended = serializers.BooleanField()
    answer = serializers.CharField()
    answered_on = serializers.DateField()
    answer_working_days = serializers.IntegerField()
    root_cause = serializers.CharField()
    founded = serializers.BooleanField(allow_null=True)
    reopen_count = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)
    allowed_actions = serializers.ListField(child=serializers.CharField())
    events = EventOutput(many=True, source="timeline_events")


class IntakeInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Complaint.Kind.choices)
    service = serializers.SlugField(required=False, allow_blank=True, max_length=40,
                                    help_text="Code of a service of the shared taxonomy.")
    what_happened = serializers.CharField(max_length=5000)
    request = serializers.CharField(max_length=3000, required=False, allow_blank=True)
    wants_answer = serializers.BooleanField(default=False)
    contact_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    contact_email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class StaffIntakeInput(IntakeInput):
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices)
    received_on = serializers.DateField()
    category = serializers.SlugField(required=False, allow_blank=True, max_length=40)


class IntakeOutput(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    reference = serializers.CharField()
    tracking_url = serializers.CharField()


class ComplaintActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=[
        "acknowledge", "start", "assign", "note", "suspend", "resume", "answer", "close", "reopen"])
    version = serializers.IntegerField(min_value=1, required=False,
                                       help_text="The complaint's version as last read; a change since answers 409.")
    text = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=3000)
    root_cause = serializers.ChoiceField(choices=Complaint.RootCause.choices, required=False, allow_blank=True)
    founded = serializers.BooleanField(required=False, allow_null=True, default=None)
    office = serializers.UUIDField(required=False, allow_null=True)
    assignee = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                     help_text="Username of a person of the comune.")
