"""The glossary (术语): every reported figure and the court terms the simulator uses, each with
its definition in Chinese and English.

Figures come from :mod:`sim.vocabulary.figure_registry` (the same source their names on every
surface come from), so the glossary can never disagree with a card or a report. Court terms are
defined here, in the words of ``shared/design/model.md`` ("The flow of one case", "Statutory
time limits", "How a case is heard", "Randomness and statistics").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .figure_registry import REGISTRY

Kind = Literal["figure", "term"]


@dataclass(frozen=True)
class Entry:
    """One glossary entry: the term in both languages and its definition in both."""

    kind: Kind
    key: str
    zh: str
    en: str
    definition_zh: str
    definition_en: str

    def term(self, lang: str) -> str:
        """The term in ``lang``."""
        return self.zh if lang == "zh" else self.en

    def definition(self, lang: str) -> str:
        """The definition in ``lang``."""
        return self.definition_zh if lang == "zh" else self.definition_en


def _t(key: str, zh: str, en: str, dzh: str, den: str) -> Entry:
    return Entry("term", key, zh, en, dzh, den)


TERMS: tuple[Entry, ...] = (
    _t("quota_judge", "员额法官", "Quota judge",
       "进入法官员额、独立办案的法官；员额不超过中央政法专项编制的 39%，由高级法院在全省统筹。",
       "A judge holding one of the capped judge posts who decides cases; posts are capped at 39 % of the "
       "court system's central staffing and managed province-wide by the high court."),
    _t("assistant", "法官助理", "Judge assistant",
       "协助法官组织证据交换、庭前会议和起草裁判文书；在模型中缩短举证期和法官的案头时间。",
       "Helps the judge with evidence exchange, pre-trial meetings and drafting judgments; in the model "
       "shortens the evidence period and the judge's desk time."),
    _t("clerk", "书记员", "Clerk",
       "负责庭审记录和送达；在模型中增加开庭场次、缩短送达时间。",
       "Keeps the hearing record and handles service; in the model adds hearing sessions and shortens service."),
    _t("team", "审判团队", "Trial team",
       "若干法官、法官助理和书记员组成的团队，服务简案或繁案一个方向。",
       "Judges, assistants and clerks working together on one track, simple or complex."),
    _t("prefiling_mediation", "诉前调解", "Pre-filing mediation",
       "纠纷立案前的调解；调解成功的纠纷不再立案，调解时间不计入审限（一般不超过 30 天）。",
       "Mediation before filing; a dispute it resolves is never filed, and its time never counts against "
       "the limit (normally up to 30 days)."),
    _t("filing", "立案", "Filing",
       "案件正式受理；审限从立案次日起算。", "The formal acceptance of a case; the statutory clock starts the next day."),
    _t("triage", "繁简分流", "Simple/complex diversion",
       "立案后把案件分到简案（速裁、简案快办）或繁案（繁案精审）方向。",
       "Sending each filed case to the simple track (speedy, fast handling) or the complex track (careful trial)."),
    _t("conversion", "简转普", "Conversion to ordinary procedure",
       "简易程序案件转为普通程序；审限改按普通程序计算，仍从原立案日起算，不重新计算。",
       "A simple-procedure case converted to ordinary procedure; its limit becomes the ordinary one, still "
       "counted from the original filing date."),
    _t("statutory_limit", "审限", "Statutory time limit",
       "法律规定的审理期限，按自然日计算并扣除公告、鉴定等不计入审限的期间：简易程序 3 个月、普通程序 6 个月、小额诉讼 2 个月等。",
       "The time the law allows for a case, in calendar days minus excluded periods such as public notice "
       "and appraisal: 3 months for simple procedure, 6 for ordinary, 2 for small claims, and so on."),
    _t("extension", "延长审限", "Extension of the limit",
       "经院长批准延长审限（简易程序 +1 个月，普通程序 +6 个月）；延长后结案仍算审限内结案。",
       "A longer limit approved by the president (+1 month simple, +6 months ordinary); a case closed within "
       "it still counts as within the limit."),
    _t("excluded_period", "不计入审限的期间", "Excluded period",
       "公告送达（公告后 30 天完成）、鉴定、当事人和解期、管辖权异议、中止等，不计入审限。",
       "Public-notice service (complete 30 days after notice), appraisal, agreed settlement periods, "
       "jurisdiction objections and suspension do not count against the limit."),
    _t("assignment", "分案", "Case assignment",
       "案件分给一名承办法官并由其办到底：轮案、随机分案、轮案填充（分给在办案件最少的法官）或专业分案。",
       "Each case goes to one presiding judge who keeps it to the end: in turn (轮案), at random (随机分案), "
       "to the lightest docket (轮案填充) or by specialisation (专业分案)."),
    _t("hearing", "开庭", "Hearing",
       "在承办法官下一个空闲庭期开庭；速裁团队可集中开庭，普通程序由合议庭审理。",
       "Held in the presiding judge's next free hearing slot; a speedy team hears many short cases in one "
       "session, ordinary procedure sits as a collegial panel."),
    _t("adjournment", "延期开庭", "Adjournment",
       "当事人缺席、新证据或委托鉴定等导致再次排期，通常数周之后。",
       "A party absent, new evidence or an appraisal sends the case back to the calendar, usually weeks later."),
    _t("panel", "合议庭", "Collegial panel",
       "三名法官或人民陪审员组成的审判组织；开庭也占用其他成员的时间。",
       "A bench of three judges or people's assessors; a hearing also takes the other members' time."),
    _t("judgment", "裁判文书", "Judgment",
       "开庭后由法官撰写、法官助理协助的判决书或裁定书，占用法官的案头时间。",
       "Drafted by the judge after the hearing, much of it by the assistant, on the judge's desk time."),
    _t("settlement", "调解、撤诉", "Settlement or withdrawal",
       "案件在任何阶段以调解或撤诉结束，不需要裁判文书；民事一审中约占五分之一到三分之一。",
       "A case ends at any stage by mediated settlement or withdrawal, with no judgment; roughly a fifth to a "
       "third of civil first-instance cases."),
    _t("carried_over", "旧存案件", "Carried-over caseload",
       "模拟开始时已立案未结的案件，带有各自的案龄。",
       "Cases filed and still pending when the simulation starts, each with its age."),
    _t("year_end_freeze", "年底不收案", "Year-end filing freeze",
       "年底暂停立案、推到次年一月；最高人民法院已要求不得这样做。",
       "Holding back filings at year end until January; the Supreme People's Court has told courts to stop."),
    _t("secondment", "借调", "Secondment",
       "其他法院的人员在一段时间内来院工作，期满返回。",
       "Staff from another court working here for a set period, then returning."),
    _t("crn", "共同随机数", "Common random numbers",
       "不同方案使用相同的随机种子和重复次数，面对同样的纠纷；方案之间的差异因此来自方案本身，而不是随机波动。",
       "Plans run with the same seed and replications see the same disputes, so a difference between them "
       "is the plans', not chance's."),
    _t("interval", "95% 置信区间", "95 % confidence interval",
       "多次重复模拟的平均值的不确定范围；两个方案逐次配对差值的区间包含 0 时，二者无法区分。",
       "The uncertainty of a mean over replications; when the paired difference of two plans has an "
       "interval covering 0, they cannot be told apart."),
    _t("replication", "重复次数", "Replications",
       "同一方案用不同随机数模拟的次数；次数越多，区间越窄。",
       "How many times a plan is simulated with different dice; more replications give narrower intervals."),
)


def entries() -> list[Entry]:
    """Every figure of the registry (report order), then every court term."""
    figures = [Entry("figure", f.key, f.name_zh, f.name_en, f.definition_zh, f.definition_en)
               for f in REGISTRY.values()]
    return figures + list(TERMS)


__all__ = ["Entry", "TERMS", "entries"]
