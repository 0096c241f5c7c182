"""The indicator set form of a year: its header (name, the bases its formulas use, the panel's scoring form) and its
lines as a formset. Fields come from the models (their labels, limits and choices); ``set_indicators`` checks
everything again (weights summing to 100, scoring rules, an approved year), so these only shape the page."""

import re
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.edits import LoadedField
from portal.reviews.models import Rubric
from portal.text import fmt

from ..models import Indicator, IndicatorSet, ScoringRule
from ..performance import formulas, scoring
from ..performance.indicators import INDICATORS

HEADER_FIELDS = (
    "name",
    "name_en",
    "leverage_basis",
    "state_capital_is_government",
    "reinvestment_rule",
    "landing_months",
    "bonus_cap",
    "benchmark",
    "qualitative_rubric",
)
LINE_FIELDS = ("group", "kind", "key", "label", "label_en", "weight", "target", "floor", "rule", "criterion")
MAX_LINES = 60
HUNDRED = Decimal(100)


def _model_field(model, name, **overrides):
    return model._meta.get_field(name).formfield(**overrides)


def free_year(fund) -> int:
    """The first year from this one (Asia/Shanghai) that has no indicator set yet."""
    taken = set(IndicatorSet.objects.filter(fund=fund).values_list("year", flat=True))
    year = timezone.localdate().year
    while year in taken:
        year += 1
    return year


class IndicatorSetForm(forms.Form):
    """The set's header; ``year`` only when the set is new (an existing set's year is in its URL)."""

    year = _model_field(IndicatorSet, "year")
    name = _model_field(IndicatorSet, "name")
    name_en = _model_field(IndicatorSet, "name_en")
    leverage_basis = _model_field(IndicatorSet, "leverage_basis")
    state_capital_is_government = _model_field(IndicatorSet, "state_capital_is_government")
    reinvestment_rule = _model_field(IndicatorSet, "reinvestment_rule")
    landing_months = _model_field(
        IndicatorSet, "landing_months", help_text=_("Used when a company may land in Pingshan after the investment.")
    )
    bonus_cap = _model_field(IndicatorSet, "bonus_cap")
    benchmark = _model_field(IndicatorSet, "benchmark")
    qualitative_rubric = _model_field(IndicatorSet, "qualitative_rubric")
    loaded = LoadedField()  # the set as the form showed it: a colleague's save since is not overwritten

    def __init__(self, *args, fund, new, current_rubric=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fund = fund
        if not new:
            del self.fields["year"]
        # The latest version of each scoring form, and the one the set already names even if revised since.
        latest = Rubric.objects.filter(next_version__isnull=True)
        if current_rubric is not None:
            latest = latest | Rubric.objects.filter(pk=current_rubric)
        self.fields["qualitative_rubric"].queryset = latest.order_by("name", "-version")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if IndicatorSet.objects.filter(fund=self.fund, year=year).exists():
            raise forms.ValidationError(
                fmt(_("%(year)s already has an indicator set: change it from its own page."), year=year),
                code="taken",
            )
        return year


def formula_choices():
    """Every formula key under a heading, in the order the registries list them (policy indicators first)."""
    policy = [(key, formulas.label(key)) for key in INDICATORS]
    gross = [(key, formulas.label(key)) for key in formulas.RETURNS if key.startswith("gross_")]
    net = [(key, formulas.label(key)) for key in formulas.RETURNS if key.startswith("net_")]
    return [
        ("", _("— none (a panel item) —")),
        (_("Policy indicators"), policy),
        (_("Returns of the fund (gross: fund and companies)"), gross),
        (_("Returns to the LPs (net)"), net),
    ]


class BandsField(forms.CharField):
    """Bands as lines “threshold = share”, e.g. ``1.5 = 100%`` or ``1.2 = 0.8``, read into ``[[threshold, share],
    ...]`` as ``funds.performance.scoring`` reads them (shares of full marks, 0 to 1)."""

    widget = forms.Textarea(attrs={"rows": 2})
    SEPARATOR = re.compile(r"\s*(?:=|→|->|:|,|，|：)\s*")

    def to_python(self, value):
        text = super().to_python(value)
        bands = []
        for number, line in enumerate((line for line in text.splitlines() if line.strip()), start=1):
            parts = self.SEPARATOR.split(line.strip())
            pair = [_number(part) for part in parts] if len(parts) == 2 else []
            if len(pair) != 2 or None in pair:
                raise forms.ValidationError(
                    fmt(
                        _("Band %(number)s: write the threshold, “=”, then the share, e.g. 1.5 = 100%%."), number=number
                    ),
                    code="band",
                )
            bands.append(
                [_json_number(pair[0]), _json_number(pair[1] / HUNDRED if parts[1].endswith("%") else pair[1])]
            )
        return bands

    def has_changed(self, initial, data):
        # Compared as bands, not as text: an empty extra line's "" is no change from its initial nothing.
        try:
            before = initial if isinstance(initial, list | tuple) else self.to_python(initial)
            return [list(band) for band in before] != self.to_python(data)
        except forms.ValidationError:
            return True

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(_band_text(band) for band in value)
        return value


def _number(text) -> Decimal | None:
    try:
        number = Decimal(text.strip().removesuffix("%").strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _json_number(number: Decimal):
    """A band's number as JSON keeps it: an int when whole, else a float (read back through its shortest repr)."""
    return int(number) if number == number.to_integral_value() else float(number)


def _band_text(band) -> str:
    threshold, share = (scoring.as_number(part) for part in band) if len(band) == 2 else (None, None)
    if threshold is None or share is None:
        return " = ".join(str(part) for part in band)
    return f"{threshold.normalize():f} = {(share * HUNDRED).normalize():f}%"


class IndicatorLineForm(forms.Form):
    """One line of the set: a formula, a panel criterion or a bonus item."""

    group = _model_field(Indicator, "group", label=_("Indicator group"))
    kind = _model_field(Indicator, "kind")
    key = forms.ChoiceField(label=capfirst(Indicator._meta.get_field("key").verbose_name), required=False)
    label = _model_field(Indicator, "label")
    label_en = _model_field(Indicator, "label_en")
    weight = _model_field(Indicator, "weight")
    target = _model_field(Indicator, "target")
    floor = _model_field(Indicator, "floor")
    rule = _model_field(Indicator, "rule")
    bands = BandsField(label=capfirst(Indicator._meta.get_field("bands").verbose_name), required=False)
    criterion = _model_field(Indicator, "criterion")
    order = forms.IntegerField(
        label=capfirst(Indicator._meta.get_field("position").verbose_name), min_value=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = formula_choices()
        for name in ("weight", "target", "floor", "order"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "class": "indicator-line__number"})
        self.fields["criterion"].widget.attrs["list"] = "rubric-criteria"
        for field in self.fields.values():  # the page says once what the cards' fields mean: fifteen stay short
            field.help_text = ""


IndicatorLineFormSet = forms.formset_factory(
    IndicatorLineForm, extra=2, can_delete=True, max_num=MAX_LINES, validate_max=True, absolute_max=MAX_LINES
)
PREFIX = "lines"


def header_initial(indicator_set, year=None) -> dict:
    """The header of ``indicator_set`` (None: the models' defaults); for a new set, its name moved to ``year``."""
    if indicator_set is None:
        return {"year": year} if year else {}
    initial = {
        name: getattr(indicator_set, name) for name in HEADER_FIELDS if name not in ("benchmark", "qualitative_rubric")
    }
    initial["benchmark"] = indicator_set.benchmark_id
    initial["qualitative_rubric"] = indicator_set.qualitative_rubric_id
    if year is not None:
        initial["year"] = year
        for name in ("name", "name_en"):
            initial[name] = initial[name].replace(str(indicator_set.year), str(year))
    return initial


def lines_initial(indicators) -> list[dict]:
    rows = []
    for number, indicator in enumerate(indicators, start=1):
        row = {name: getattr(indicator, name) for name in LINE_FIELDS}
        for name in ("weight", "target", "floor"):  # 6 rather than 6.00, 40 rather than 40.0000
            row[name] = _plain(row[name])
        row["bands"] = indicator.bands or []
        row["order"] = number
        rows.append(row)
    return rows


def line_formset(data=None, initial=None, extra=None) -> forms.BaseFormSet:
    formset = IndicatorLineFormSet(data, initial=initial, prefix=PREFIX)
    if extra is not None:
        formset.extra = extra
    return formset


def _plain(number):
    return None if number is None else f"{number.normalize():f}"


def _deleted(form) -> bool:
    return bool(form["DELETE"].value()) if "DELETE" in form.fields else False


def _blank(row) -> bool:
    return not any(str(row.get(name) or "").strip() for name in ("key", "label", "label_en", "weight", "criterion"))


def rows_as_typed(formset) -> list[dict]:
    """Each line's values as the page holds them (posted or initial), deleted and untouched empty lines left out."""
    rows = []
    for form in formset.forms:
        row = {name: form[name].value() for name in (*LINE_FIELDS, "bands", "order")}
        if not _deleted(form) and not _blank(row):
            rows.append(row)
    return rows


def with_one_more_line(header, formset, *, fund, new, current_rubric=None):
    """The posted header and lines again, unbound (no error shown for what is still being typed), with one more empty
    line: the "add a line" button, which works without JavaScript and saves nothing."""
    rows = rows_as_typed(formset)  # bands stay as typed: the field shows text as it is
    initial = {name: header[name].value() for name in header.fields}
    header = IndicatorSetForm(initial=initial, fund=fund, new=new, current_rubric=current_rubric)
    return header, line_formset(initial=rows, extra=1)


def weight_total(rows) -> Decimal:
    """The weights of the lines that count towards the 100 points (scored, not bonus), as typed so far."""
    total = Decimal(0)
    for row in rows:
        line = SimpleNamespace(
            kind=row.get("kind"),
            rule=row.get("rule") or ScoringRule.LINEAR,
            key=row.get("key"),
            target=row.get("target"),
        )
        weight = scoring.as_number(row.get("weight") or None)
        if weight is not None and scoring.is_weighted(line):
            total += weight
    return total


def service_lines(formset) -> list[dict]:
    """The valid formset's lines in the order asked for (then as listed), as ``set_indicators`` takes them."""
    lines = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE") or _blank(data):
            continue
        order = data.get("order")
        line = {name: data.get(name) for name in LINE_FIELDS}
        line["bands"] = data.get("bands") or []
        lines.append(((index + 1 if order is None else order, index), line))
    return [line for _key, line in sorted(lines, key=lambda pair: pair[0])]
