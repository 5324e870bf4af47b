"""The evaluation workbench page: signed-in only, tables, mediation, event-study plot, errors."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi.testclient import TestClient

from tests.e2e.test_web_pages import meta_token, sign_in
from tests.evaluation_world import grunfeld_csv, mediation_panel, staggered_panel
from tests.factories import OPERATOR, Factory
from zerowaste.bootstrap import Context
from zerowaste.domain.accounts import UserRole


def _signed_in(client: TestClient, context: Context, factory: Factory) -> None:
    context.evaluation.import_dataset(OPERATOR, "grunfeld", grunfeld_csv(), "statsmodels")
    user = factory.user(UserRole.FIRM, organization=factory.organization())
    assert sign_in(client, user.username).status_code == 303


def test_the_page_needs_a_signed_in_user_and_lists_datasets(
    client: TestClient, context: Context, factory: Factory
) -> None:
    assert client.get("/evaluation", follow_redirects=False).status_code == 303
    _signed_in(client, context, factory)
    page = client.get("/evaluation?lang=en")
    assert page.status_code == 200, page.text[:500]
    assert 'data-dataset="grunfeld"' in page.text
    assert 'aria-current="page"' in page.text
    opened = client.get("/evaluation?lang=en&dataset=grunfeld")
    assert "10 firms" in opened.text
    assert "Balanced panel." in opened.text
    assert 'name="regressors" value="capital"' in opened.text
    assert "评估工作台" in client.get("/evaluation?lang=zh").text


def test_a_model_shows_its_table_with_clustered_errors_beside(
    client: TestClient, context: Context, factory: Factory
) -> None:
    _signed_in(client, context, factory)
    query = [
        ("lang", "en"),
        ("dataset", "grunfeld"),
        ("analysis", "model"),
        ("outcome", "invest"),
        ("regressors", "value"),
        ("regressors", "capital"),
        ("fixed_effects", "firm"),
        ("fixed_effects", "year"),
        ("cluster", "firm"),
    ]
    page = client.get("/evaluation?" + urlencode(query))
    assert page.status_code == 200, page.text[:1000]
    html = page.text
    assert '<table class="regression-table">' in html
    assert "<td>0.1177***</td>" in html
    assert "<td>(0.0138)</td>" in html
    assert "<td>(0.0227)</td>" in html
    assert "CRV1 (firm)" in html
    assert "xtreg, fe" in html
    bad = client.get("/evaluation?" + urlencode([*query[:4], ("regressors", "invest")]))
    assert bad.status_code == 422
    assert re.search(r'data-field="regressors"', bad.text)


def test_mediation_and_event_study_sections(
    client: TestClient, context: Context, factory: Factory
) -> None:
    _signed_in(client, context, factory)
    context.evaluation.import_dataset(OPERATOR, "med", mediation_panel().to_csv(), "simulated")
    context.evaluation.import_dataset(OPERATOR, "pilot", staggered_panel().to_csv(), "sim")
    mediation = client.get(
        "/evaluation?"
        + urlencode(
            [
                ("lang", "en"),
                ("dataset", "med"),
                ("analysis", "mediation"),
                ("outcome", "y"),
                ("treatment", "d"),
                ("mediator", "m"),
                ("controls", "x"),
                ("fixed_effects", "firm"),
                ("fixed_effects", "year"),
                ("cluster", "firm"),
                ("replicates", "20"),
                ("seed", "3"),
            ]
        )  # fmt: skip
    )
    assert mediation.status_code == 200, mediation.text[:1000]
    assert 'id="mediation-gap"' in mediation.text
    gap = re.search(r'id="mediation-gap">c − \(c′ \+ a·b\) = ([-0-9.e+]+)', mediation.text)
    assert gap
    assert abs(float(gap.group(1))) < 1e-10
    assert "20 draws (seed 3, by firm)" in mediation.text
    study = client.get(
        "/evaluation?"
        + urlencode(
            [
                ("lang", "en"),
                ("dataset", "pilot"),
                ("analysis", "event_study"),
                ("outcome", "y"),
                ("cohort", "pilot_year"),
                ("cluster", "city"),
                ("leads", "3"),
                ("lags", "3"),
            ]
        )  # fmt: skip
    )
    assert study.status_code == 200, study.text[:1000]
    assert 'id="evaluation-chart-data"' in study.text
    assert "/static/vendor/plotly/plotly.min.js" in study.text
    assert "did2s (Gardner two-stage)" in study.text
    assert 'data-period="-3"' in study.text
    assert 'data-period="-1"' not in study.text
    wrong = client.get("/evaluation?dataset=pilot&analysis=event_study&outcome=y&leads=50")
    assert wrong.status_code == 422
    missing = client.get("/evaluation?dataset=nope")
    assert missing.status_code == 404


def test_regulators_import_from_the_page_and_errors_name_the_row(
    client: TestClient, context: Context, factory: Factory
) -> None:
    firm_user = factory.user(UserRole.FIRM, organization=factory.organization())
    sign_in(client, firm_user.username)
    page = client.get("/evaluation")
    assert 'id="evaluation-import-form"' not in page.text
    token = meta_token(page.text)
    refused = client.post(
        "/evaluation/datasets", data={"csrf": token, "name": "x", "source": "s", "csv": "a"}
    )
    assert refused.status_code == 403
    client.post("/logout", data={"csrf": token})
    regulator = factory.user(UserRole.REGULATOR, jurisdiction_code="320500")
    client.cookies.clear()
    sign_in(client, regulator.username)
    page = client.get("/evaluation?lang=en")
    assert 'id="evaluation-import-form"' in page.text
    token = meta_token(page.text)
    bad = client.post(
        "/evaluation/datasets?lang=en",
        data={"csrf": token, "name": "bad", "source": "test"},
        files={"file": ("bad.csv", b"firm,city,year,y\nA,S,2020,1\nB,S,2020,x\n", "text/csv")},
    )
    assert bad.status_code == 422
    assert "row 3: y" in bad.text
    assert context.evaluation.datasets() == []
    good = client.post(
        "/evaluation/datasets",
        data={"csrf": token, "name": "grunfeld", "source": "statsmodels"},
        files={"file": ("g.csv", grunfeld_csv().encode(), "text/csv")},
        follow_redirects=False,
    )
    assert good.status_code == 303, good.text[:500]
    assert good.headers["location"] == "/evaluation?dataset=grunfeld"
    assert [d.name for d in context.evaluation.datasets()] == ["grunfeld"]
    pasted = client.post(
        "/evaluation/datasets",
        data={
            "csrf": token,
            "name": "tiny",
            "source": "s",
            "csv": "firm,city,year,y\nA,S,2020,1\n",
        },
        follow_redirects=False,
    )
    assert pasted.status_code == 303
