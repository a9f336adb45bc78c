"""The insights page: the portfolio's three charts, each explaining one account on a click.

The virtual line (accounts ranked by real contribution), engagement against value, and the
renewal horizon, one tab each. A chart is drawn the first time its tab is shown, so opening the
app never waits for matplotlib; new scores redraw the chart on screen and leave the others to be
redrawn when they are next shown. Clicking a point fills the side panel with that account, and
"Open account" asks the window to open it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.money import DEFAULT_CURRENCY, format_money
from ...core.scoring.portfolio import AccountScores, ContractScores, serving_label
from ...core.scoring.timeline import campaign_anchor, next_renewal
from ...core.settings import DEFAULT_SETTINGS, ScoreSettings
from ...export.chart_data import (
    chart_settings,
    engagement_points,
    horizon_bubbles,
    virtual_line_points,
    virtual_line_positions,
)
from ..widgets.bands import BAND_SYMBOLS
from ..widgets.chart_view import ChartView, HitPoint
from .renewals.renewals_model import HORIZON_MONTHS


def _currency(scores: AccountScores) -> str:
    return scores.segment.extra.get("currency") or DEFAULT_CURRENCY


def _band(result: Any) -> str:
    """A band in words with its symbol, so it never depends on colour alone."""
    symbol = BAND_SYMBOLS.get(result.band, "")
    return f"{symbol} {result.band_label}".strip()


class DetailsPanel(QFrame):
    """What the last clicked point says about its account, with a way to open the account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("insightsDetails")
        self.setAccessibleName(self.tr("Selected account"))
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.title.setAccessibleName(self.tr("Account name"))
        self.prompt = QLabel(
            self.tr(
                "Click a point on a chart (or pick one with the arrow keys and press Enter) "
                "to see its account here."
            )
        )
        self.prompt.setWordWrap(True)

        self.segment = QLabel()
        self.contribution = QLabel()
        self.shares = QLabel()
        self.engagement = QLabel()
        self.risk = QLabel()
        self.renewal = QLabel()
        self.decision = QLabel()
        self.contract = QLabel()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.form.setVerticalSpacing(6)
        self._rows = [
            (self.tr("Segment"), self.segment),
            (self.tr("Contribution (12 months)"), self.contribution),
            (self.tr("Effort share against value share"), self.shares),
            (self.tr("Engagement balance"), self.engagement),
            (self.tr("Renewal risk (next renewal)"), self.risk),
            (self.tr("Next renewal"), self.renewal),
            (self.tr("Decision date"), self.decision),
            (self.tr("Contract on the chart"), self.contract),
        ]
        for label_text, value in self._rows:
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label_text)
            label = QLabel(label_text)
            font = label.font()
            font.setBold(True)
            label.setFont(font)
            self.form.addRow(label, value)

        self.open_button = QPushButton(self.tr("&Open account"))
        self.open_button.setToolTip(self.tr("Open this account's overview"))
        self.open_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.prompt)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.open_button)
        self.clear()

    def clear(self) -> None:
        self.title.setText(self.tr("No account chosen"))
        self.prompt.show()
        self._show_rows(False)
        self.open_button.setEnabled(False)

    def _show_rows(self, on: bool) -> None:
        for i in range(self.form.rowCount()):
            self.form.setRowVisible(i, on)

    def show_account(
        self,
        scores: AccountScores,
        contract: ContractScores | None,
        settings: ScoreSettings,
        today: date,
    ) -> None:
        locale = QLocale()
        currency = _currency(scores)
        self.title.setText(scores.name)
        self.prompt.hide()
        self._show_rows(True)
        seg = scores.segment
        segment = seg.band_label
        if seg.extra.get("override"):
            segment = self.tr("{band} (set by hand; calculated: {calc})").format(
                band=seg.band_label, calc=str(seg.extra.get("calculated", "")).capitalize()
            )
        if seg.extra.get("rank"):
            segment = self.tr("{segment}, ranked {rank}").format(
                segment=segment, rank=seg.extra["rank"]
            )
        self.segment.setText(segment)
        self.contribution.setText(format_money(seg.extra.get("contribution_minor"), currency))
        self.shares.setText(self._shares(scores, settings))
        self.engagement.setText(_band(scores.engagement))
        risk = scores.risk
        self.risk.setText(
            self.tr("{band} ({score:.0f} of 100)").format(band=_band(risk), score=risk.score or 0)
            if risk
            else self.tr("No live contract")
        )
        # The same contract and date as the Portfolio's "Next renewal" (one definition).
        ahead = next_renewal((c.contract for c in scores.contracts), today)
        if ahead is None:
            self.renewal.setText(self.tr("No live contract ends from today on"))
            self.decision.setText("—")
        else:
            self.renewal.setText(
                self.tr("{ref} ends {day}").format(
                    ref=ahead.reference, day=locale.toString(QDate(ahead.end_date), "d MMM yyyy")
                )
            )
            anchor, basis = campaign_anchor(ahead)
            self.decision.setText(
                self.tr("{day} ({basis})").format(
                    day=locale.toString(QDate(anchor), "d MMM yyyy"), basis=basis
                )
            )
        self.form.setRowVisible(self.form.rowCount() - 1, contract is not None)
        if contract is not None:
            risk_text = (
                self.tr("{band} ({score:.0f})").format(
                    band=_band(contract.risk), score=contract.risk.score or 0
                )
                if contract.risk
                else "—"
            )
            self.contract.setText(
                self.tr("{ref} – {title}\ndecision date {day}, risk {risk}, {value} a year").format(
                    ref=contract.contract.reference,
                    title=contract.contract.title,
                    day=locale.toString(QDate(contract.campaign.anchor), "d MMM yyyy"),
                    risk=risk_text,
                    value=format_money(contract.contract.annual_value_minor, currency),
                )
            )
        self.open_button.setEnabled(True)

    def _shares(self, scores: AccountScores, settings: ScoreSettings) -> str:
        if scores.value_share is None:
            return self.tr(
                "{effort:.1%} of our effort; not ranked on value (no year of figures)"
            ).format(effort=scores.effort_share or 0.0)
        verdicts = {
            "over-serving": self.tr("over-serving"),
            "under-serving": self.tr("under-serving"),
            "neglect alert": self.tr("neglect alert: a Treasure under-served"),
            "in line": self.tr("in line"),
            "not ranked": self.tr("not ranked"),
        }
        verdict = serving_label(scores, settings)
        return self.tr("{effort:.1%} of our effort for {value:.1%} of value: {verdict}").format(
            effort=scores.effort_share or 0.0,
            value=scores.value_share,
            verdict=verdicts.get(verdict, verdict),
        )


class InsightsPage(QWidget):
    """Three portfolio charts in tabs, each drawn when first shown, and a details panel.

    ``account_activated(account_id)`` fires from the panel's "Open account" button.
    """

    account_activated = Signal(str)

    VIRTUAL_LINE, ENGAGEMENT, HORIZON = range(3)

    def __init__(
        self, *, settings: ScoreSettings = DEFAULT_SETTINGS, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._scores: dict[str, AccountScores] = {}
        self._contracts: dict[str, tuple[str, ContractScores]] = {}
        self._today = date.today()
        self.selected_account_id: str | None = None
        self.selected_contract_id: str | None = None

        title = QLabel(self.tr("Insights"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(self.tr("Insights"))

        self.virtual_line = ChartView(
            name=self.tr("Virtual line chart"),
            x_only=True,
            ring_size=18,
            hint=self.tr(
                "Bars rank the accounts by contribution; the line is the running share of it. "
                "Point at a bar for the account, click it for details."
            ),
        )
        self.engagement = ChartView(
            name=self.tr("Engagement against value chart"),
            hint=self.tr(
                "Above the shaded band an account gets more of our effort than its value "
                "suggests; below it, less. Click a point for details."
            ),
        )
        self.horizon = ChartView(
            name=self.tr("Renewal horizon chart"),
            ring_size=34,
            hint=self.tr(
                "Each bubble is a contract at its decision date: higher is riskier, bigger is "
                "worth more. Click one for its account."
            ),
        )
        self.charts = (self.virtual_line, self.engagement, self.horizon)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Portfolio charts"))
        self.tabs.addTab(self.virtual_line, self.tr("Virtual line"))
        self.tabs.addTab(self.engagement, self.tr("Engagement against value"))
        self.tabs.addTab(self.horizon, self.tr("Renewal horizon"))
        self.virtual_line.point_clicked.connect(self._account_clicked)
        self.engagement.point_clicked.connect(self._account_clicked)
        self.horizon.point_clicked.connect(self._contract_clicked)

        self.details = DetailsPanel()
        self.details.setMinimumWidth(260)
        self.details.open_button.clicked.connect(self._open)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("insightsSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([980, 300])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(self.splitter, 1)
        self.setFocusProxy(self.tabs)

    # ---- public --------------------------------------------------------------------------------

    def set_scores(
        self,
        scores: Mapping[str, AccountScores],
        today: date,
        settings: ScoreSettings | None = None,
    ) -> None:
        """New scores: the chart on screen is redrawn now, the others when next shown."""
        if settings is not None:
            self._settings = settings
        self._scores = dict(scores)
        self._today = today
        self._contracts = {
            c.contract.id: (s.account_id, c) for s in self._scores.values() for c in s.contracts
        }
        self._set_virtual_line()
        self._set_engagement()
        self._set_horizon()
        if self.selected_account_id in self._scores:
            self.show_details(self.selected_account_id, self.selected_contract_id)
        else:
            self.show_details(None)

    def show_details(self, account_id: str | None, contract_id: str | None = None) -> None:
        """Fill the side panel with an account (and one of its contracts), and ring it on
        every chart."""
        scores = self._scores.get(account_id) if account_id else None
        if scores is None:
            self.selected_account_id = self.selected_contract_id = None
            self.details.clear()
            for chart in self.charts:
                chart.highlight(None)
            return
        contract = None
        if contract_id and self._contracts.get(contract_id, ("",))[0] == scores.account_id:
            contract = self._contracts[contract_id][1]
        self.selected_account_id = scores.account_id
        self.selected_contract_id = contract.contract.id if contract else None
        self.details.show_account(scores, contract, self._settings, self._today)
        self.virtual_line.highlight(scores.account_id)
        self.engagement.highlight(scores.account_id)
        ringed = contract or scores.primary
        self.horizon.highlight(ringed.contract.id if ringed else None)

    # ---- charts --------------------------------------------------------------------------------

    def _set_virtual_line(self) -> None:
        points_data = virtual_line_points(self._scores)
        share = float(chart_settings(self._settings)["pareto_share"])  # type: ignore[arg-type]
        hits: list[HitPoint] = []
        for account_id, x, y in virtual_line_positions(self._scores):
            s = self._scores[account_id]
            hits.append(
                (
                    account_id,
                    x,
                    y,
                    self.tr("{name}: contribution {money}, ranked {rank} ({segment})").format(
                        name=s.name,
                        money=format_money(s.segment.extra.get("contribution_minor"), _currency(s)),
                        rank=s.segment.extra.get("rank"),
                        segment=s.segment.band_label,
                    ),
                )
            )

        def figure() -> Any:
            from ...export.charts import virtual_line_figure

            return virtual_line_figure(
                points_data, pareto_share=share, colours=self.virtual_line.chart_colours()
            )

        self.virtual_line.set_figure(figure, hits)

    def _set_engagement(self) -> None:
        points = engagement_points(self._scores)
        limits = chart_settings(self._settings)
        over, under = float(limits["over"]), float(limits["under"])  # type: ignore[arg-type]
        hits: list[HitPoint] = []
        for p in points:
            s = self._scores[p.key]
            hits.append(
                (
                    p.key,
                    p.value_share,
                    p.effort_share,
                    self.tr("{name}: {effort:.1%} of our effort, {value:.1%} of value").format(
                        name=s.name, effort=p.effort_share, value=p.value_share
                    ),
                )
            )

        def figure() -> Any:
            from ...export.charts import engagement_figure

            return engagement_figure(
                points, over=over, under=under, colours=self.engagement.chart_colours()
            )

        self.engagement.set_figure(figure, hits)

    def _set_horizon(self) -> None:
        today = self._today
        bubbles = horizon_bubbles(self._scores, today, HORIZON_MONTHS)
        locale = QLocale()
        hits: list[HitPoint] = []
        for b in bubbles:
            account_id, cs = self._contracts[b.key]
            s = self._scores[account_id]
            hits.append(
                (
                    b.key,
                    b.anchor,
                    b.risk,
                    self.tr(
                        "{name} · {ref}: decision date {day}, risk {risk:.0f}, {value} a year"
                    ).format(
                        name=s.name,
                        ref=cs.contract.reference,
                        day=locale.toString(QDate(b.anchor), "d MMM yyyy"),
                        risk=b.risk,
                        value=format_money(cs.contract.annual_value_minor, _currency(s)),
                    ),
                )
            )

        def figure() -> Any:
            from ...export.charts import horizon_figure

            return horizon_figure(
                bubbles, today, months=HORIZON_MONTHS, colours=self.horizon.chart_colours()
            )

        self.horizon.set_figure(figure, hits)

    # ---- slots ---------------------------------------------------------------------------------

    @Slot(str)
    def _account_clicked(self, account_id: str) -> None:
        self.show_details(account_id)

    @Slot(str)
    def _contract_clicked(self, contract_id: str) -> None:
        found = self._contracts.get(contract_id)
        if found is not None:
            self.show_details(found[0], contract_id)

    @Slot()
    def _open(self) -> None:
        if self.selected_account_id is not None:
            self.account_activated.emit(self.selected_account_id)
