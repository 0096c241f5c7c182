"""Forms of the policy feedback section. They collect input; councils.services.feedback validates it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import DateInput

from ..models import RATING_MAX, RATING_MIN, QuestionKind
from ..services.feedback import MAX_QUESTIONS, documents_in

RATING_CHOICES = [(str(rating), str(rating)) for rating in range(RATING_MIN, RATING_MAX + 1)]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    policy_name = forms.CharField(label=_("Policy"), max_length=300, help_text=_("The policy's full name."))
    issuing_department = forms.CharField(label=_("Issuing department"), max_length=200)
    policy_summary = forms.CharField(
        label=_("What the policy says"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    # A plain text field: the service says what is wrong with an address, in the user's language.
    policy_link = forms.CharField(label=_("Link to the policy"), required=False, max_length=200)
    policy_document = forms.ModelChoiceField(
        label=_("Policy document"),
        queryset=None,
        required=False,
        help_text=_("A document in this workspace's folders."),
    )
    closes_on = forms.DateField(label=_("Answers due"), required=False, widget=DateInput())

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy_document"].queryset = documents_in(workspace).order_by("title", "pk")


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), required=False, max_length=500)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices, initial=QuestionKind.TEXT)
    required = forms.BooleanField(label=_("Required"), required=False)


QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=3, max_num=MAX_QUESTIONS, validate_max=True, absolute_max=MAX_QUESTIONS
)


def question_formset(data=None, campaign=None):
    initial = None
    if campaign is not None:
        initial = [{"text": q.text, "kind": q.kind, "required": q.required} for q in campaign.questions.all()]
    return QuestionFormSet(data, initial=initial, prefix="questions")


def questions_of(formset):
    """[(text, kind, required)] of the rows with a question (empty rows are left out)."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if (data.get("text") or "").strip():
            rows.append((data["text"], data.get("kind") or QuestionKind.TEXT, bool(data.get("required"))))
    return rows


class ResponseForm(forms.Form):
    effect_rating = forms.ChoiceField(
        label=_("Effect of the policy"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("1 = no effect, 5 = a strong positive effect."),
    )
    problems = forms.CharField(
        label=_("Problems met"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What gets in the way when your organization applies the policy?"),
    )
    suggestions = forms.CharField(label=_("Suggestions"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = f"question_{question.pk}"
            if question.kind == QuestionKind.RATING:
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    choices=RATING_CHOICES,
                    widget=forms.RadioSelect,
                    required=question.required,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=question.required,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    @classmethod
    def initial_for(cls, response):
        """Initial data from the member's earlier answer."""
        if response is None:
            return None
        initial = {
            "effect_rating": str(response.effect_rating),
            "problems": response.problems,
            "suggestions": response.suggestions,
        }
        for answer in response.answers.all():
            initial[f"question_{answer.question_id}"] = str(answer.rating) if answer.rating else answer.text
        return initial

    def answers(self):
        return {question.pk: self.cleaned_data.get(f"question_{question.pk}") for question in self.questions}
