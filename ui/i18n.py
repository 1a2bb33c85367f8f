"""The one translation table of the app: every string a user sees, in Chinese and English.

Chinese is the default; court terms follow ``shared/design/model.md`` (审限内结案率, 结收比,
未结案件, 超审限未结, 长期未结, 员额法官, 法官助理, 书记员, 诉前调解, 繁简分流, 简转普 ...).
Number and month formatting also depend on the language, so it lives here too.
"""
from __future__ import annotations

import math
import re
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES = {"zh": "中文", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        # page
        "app.title": "法院案件流转模拟 · 人员配置推演",
        "app.subtitle": "调整左侧的人员与分案设置，看年底能否达到审限、积案目标。结果为 {reps} 次随机模拟的平均值，括号内为 95% 置信区间。",
        "app.scenario_line": "当前方案：**{name}** · 模拟 {months} 个月（{start} 起）· {reps} 次重复 · 随机种子 {seed}",
        "app.edited": "已修改（与载入方案比较的变化显示在各指标下方）",
        "app.unedited": "未修改（载入的原方案）",
        "app.run_time": "计算用时 {sec} 秒",
        "app.cached": "结果来自缓存",
        "app.progress": "正在模拟：已完成 {done} / {total} 次重复",
        "app.progress_base": "正在模拟原方案（用于比较）：已完成 {done} / {total} 次重复",
        "app.invalid_title": "当前设置有误，未重新计算。请按下列提示修改（侧栏中对应位置也有提示）：",
        "app.showing_last": "下方显示的是最近一次有效设置的结果。",
        "app.no_results": "还没有可显示的结果：请先修正上面的设置。",
        "app.section_cards": "核心指标（整个模拟期）",
        "app.section_charts": "月度走势与结构",
        "app.section_all": "全部指标明细",
        "app.section_downloads": "下载",
        "app.description": "方案说明",
        "app.run_failed": "模拟未能完成：{msg}",
        # sidebar
        "sb.lang": "语言 / Language",
        "sb.lang.help": "切换界面语言。",
        "nav.label": "页面",
        "nav.help": "推演：调整一个方案的人员配置并看结果；方案比较：多个已保存方案并排比较；配置建议：在给定人员总数下寻找最优分配。",
        "nav.whatif": "推演",
        "nav.compare": "方案比较",
        "nav.advisor": "配置建议",
        "sb.scenario": "方案",
        "sb.scenario.help": "选择 scenarios/ 目录中的方案文件。切换方案会丢弃当前修改。",
        "sb.reset": "恢复为载入的方案",
        "sb.reset.help": "放弃所有修改，回到所选方案文件中的设置。",
        "sb.exp.demand": "案件来源（收案）",
        "sb.exp.mediation": "诉前调解",
        "sb.exp.triage": "繁简分流",
        "sb.exp.teams": "审判团队与人员",
        "sb.exp.policy": "分案与办案顺序",
        "sb.exp.pending": "旧存案件与长期未结",
        "sb.exp.targets": "考核目标",
        "sb.exp.run": "模拟期与重复次数",
        "sb.exp.advanced": "高级参数（分布、工作日历、审限）",
        "sb.invalid_here": "此处设置有误：",
        "sb.profile": "各月收案相对量",
        "sb.profile.help": "各月纠纷量的相对权重（1 月在前），会自动换算为平均值 1。例如 2 月春节为 0.7、12 月年底为 1.3。",
        "sb.profile.month": "月份",
        "sb.profile.weight": "相对量",
        "sb.teams.table": "审判团队（可增删行、改名）",
        "sb.teams.table.help": "每行一个审判团队。点表格下方“+”新增团队，选中行后删除；可直接改团队名称、类别与人数。",
        "sb.teams.totals": "合计：员额法官 **{judges}** 人，法官助理 {assistants} 人，书记员 {clerks} 人；辅助人员与法官之比 {ratio}。简案团队法官 {simple_j} 人，繁案团队法官 {complex_j} 人。",
        "sb.teams.sliders": "各团队员额法官人数（拖动即可推演）",
        "sb.teams.slider": "{team}：员额法官",
        "sb.teams.slider.help": "该团队的员额法官人数（人）。法官助理、书记员人数在上表中修改。",
        "sb.teams.new": "新团队{n}",
        "sb.ct.tab": "{name}",
        "sb.ct.header": "案件类型（占比、程序与工作量）",
        "sb.proc.header": "审限（按程序）",
        "sb.cal.header": "工作日历",
        "sb.support.header": "辅助人员的作用",
        "sb.durations.header": "调解与鉴定用时",
        "sb.not_editable": "未在界面中编辑的参数（如人员借调、旧存案件账龄结构）沿用方案文件中的设置。",
        # table columns
        "col.name": "团队名称",
        "col.name.help": "审判团队名称，不能重复。",
        "col.track": "类别",
        "col.track.help": "简案团队（速裁/简案快办）或繁案团队（繁案精审）。",
        "col.judges": "法官",
        "col.judges.help": "员额法官人数（人）。",
        "col.assistants": "助理",
        "col.assistants.help": "法官助理人数（人），可减少法官的办案工时。",
        "col.clerks": "书记员",
        "col.clerks.help": "书记员人数（人），可减少法官的办案工时。",
        # option labels
        "opt.track.simple": "简案（速裁）",
        "opt.track.complex": "繁案（精审）",
        "opt.track_short.simple": "简案",
        "opt.track_short.complex": "繁案",
        "opt.assignment.rotation": "轮案（按顺序轮流分配）",
        "opt.assignment.least_loaded": "均衡分案（分给在办案件最少的团队）",
        "opt.queue.fifo": "先到先办",
        "opt.queue.edf": "审限先到期者先办",
        "opt.dist.lognormal": "对数正态",
        "opt.dist.gamma": "伽马",
        "opt.dist.exponential": "指数",
        "opt.dist.deterministic": "固定值",
        "opt.weekday": "周{d}",
        "opt.month": "{m}月",
        # controls: label / help
        "ctl.disputes_per_year": "每年诉至法院纠纷数（件/年）",
        "ctl.disputes_per_year.help": "每年诉至法院的纠纷数（件），含诉前调解化解的纠纷；正式立案数 = 纠纷数 − 诉前调解成功数。",
        "ctl.annual_growth": "纠纷量年增长率（%）",
        "ctl.annual_growth.help": "纠纷量每年的增长幅度（%），5 表示每年增加 5%，负数表示减少。",
        "ctl.freeze_day": "年底不收案起始日（12 月几日，留空为不停收）",
        "ctl.freeze_day.help": "设定后，从 12 月该日起的立案推迟到次年 1 月第一个工作日（年底不收案），用来展示其代价：1 月集中收案、案件变“老”。留空表示全年正常立案。",
        "ctl.med_share": "诉前调解分流率（%）",
        "ctl.med_share.help": "诉至法院的纠纷中被引导到诉前调解的比例（%）。诉前调解在立案前进行，不计入审限。",
        "ctl.med_success": "诉前调解成功率（%）",
        "ctl.med_success.help": "进入诉前调解的纠纷中调解成功、无需立案的比例（%）。",
        "ctl.med_mediators": "可同时开展的调解数（留空为不限）",
        "ctl.med_mediators.help": "调解员能力：同时进行的诉前调解最多几件（件）。留空表示不受限制。",
        "ctl.med_max_days": "诉前调解期限（天）",
        "ctl.med_max_days.help": "诉前调解最长天数（自然日），到期未成功即转立案。一般为 30 天。",
        "ctl.simple_share": "简案占比（%）",
        "ctl.simple_share.help": "立案案件中属于简案（速裁、简易、小额）的比例（%）。拖动时按原比例调整各类案件占比；也可在“高级参数”中逐类修改。",
        "ctl.triage_accuracy": "分流准确率（%）",
        "ctl.triage_accuracy.help": "繁简分流时被分到正确通道的案件比例（%）。分错的繁案进入简案团队后多数要简转普。",
        "ctl.conversion_rate": "简转普比例（%）",
        "ctl.conversion_rate.help": "正确分入简案通道的案件中转为普通程序的比例（%）。转换后审限按普通程序、自立案日起算。",
        "ctl.misrouted_conversion_rate": "误分繁案的简转普比例（%）",
        "ctl.misrouted_conversion_rate.help": "被误分到简案通道的繁案中最终转为普通程序的比例（%）。",
        "ctl.conversion_effort_share": "转换前已耗工作量（%）",
        "ctl.conversion_effort_share.help": "简转普案件在转出前已消耗简案团队的工作量，占该案全部工作量的比例（%）。",
        "ctl.assignment": "分案方式",
        "ctl.assignment.help": "同一通道内案件如何分给各团队：轮案（按顺序轮流）或均衡分案（分给在办案件最少的团队）。",
        "ctl.queue_discipline": "办案顺序",
        "ctl.queue_discipline.help": "团队手头待办案件的处理顺序：先到先办，或审限先到期的案件先办。",
        "ctl.init_simple": "简案旧存（件）",
        "ctl.init_simple.help": "模拟开始时简案团队已有的未结案件数（件），即旧存。",
        "ctl.init_complex": "繁案旧存（件）",
        "ctl.init_complex.help": "模拟开始时繁案团队已有的未结案件数（件），即旧存。",
        "ctl.long_pending_months": "长期未结界限（月）",
        "ctl.long_pending_months.help": "立案后超过这么多个月仍未结的案件计为长期未结（常用 12 或 18 个月）。",
        "ctl.tgt_within_limit_rate": "审限内结案率目标（%，不低于）",
        "ctl.tgt_within_limit_rate.help": "审限内结案率应达到的最低值（%）。留空表示不设目标。",
        "ctl.tgt_clearance_rate": "结收比目标（%，不低于）",
        "ctl.tgt_clearance_rate.help": "结案数 ÷ 收案数应达到的最低值（%），100 表示结案不少于收案。留空表示不设目标。",
        "ctl.tgt_long_pending_end": "期末长期未结目标（件，不高于）",
        "ctl.tgt_long_pending_end.help": "模拟期末长期未结案件数的上限（件），0 表示清零。留空表示不设目标。",
        "ctl.tgt_overdue_pending_end": "期末超审限未结目标（件，不高于）",
        "ctl.tgt_overdue_pending_end.help": "模拟期末超审限未结案件数的上限（件）。留空表示不设目标。",
        "ctl.tgt_pending_end": "期末未结案件目标（件，不高于）",
        "ctl.tgt_pending_end.help": "模拟期末未结案件总数的上限（件）。留空表示不设目标。",
        "ctl.tgt_disposition_days_mean": "平均审理天数目标（天，不高于）",
        "ctl.tgt_disposition_days_mean.help": "结案平均审理天数（立案至结案的自然日）的上限。留空表示不设目标。",
        "ctl.tgt_mediation_resolution_share": "诉前调解成功占比目标（%，不低于）",
        "ctl.tgt_mediation_resolution_share.help": "诉前调解成功案件数占诉至法院纠纷数比例的最低值（%）。留空表示不设目标。",
        "ctl.start_date": "模拟开始日期",
        "ctl.start_date.help": "模拟期的第一天。节假日在“高级参数 · 工作日历”中设置。",
        "ctl.horizon_months": "模拟期（月）",
        "ctl.horizon_months.help": "模拟并报告多少个月（月）。",
        "ctl.replications": "重复模拟次数",
        "ctl.replications.help": "用不同随机数重复模拟的次数（次）。次数越多，置信区间越窄，计算越慢；20 次约需数秒。",
        "ctl.seed": "随机种子",
        "ctl.seed.help": "相同种子、相同设置得到完全相同的结果，便于培训时各人结果一致；比较两个方案时用相同种子可排除随机因素。",
        "ctl.ct.share": "占立案比例（%）",
        "ctl.ct.share.help": "该类案件占正式立案数的比例（%）。各类合计须为 100%。",
        "ctl.ct.track": "所属通道",
        "ctl.ct.track.help": "该类案件正确分流时进入的通道：简案或繁案。",
        "ctl.ct.procedure": "适用程序（决定审限）",
        "ctl.ct.procedure.help": "该类案件在本通道适用的程序，决定其审限。",
        "ctl.ct.effort_dist": "法官工时的分布",
        "ctl.ct.effort_dist.help": "每件案件所需法官工时的随机分布形态。",
        "ctl.ct.effort_mean": "每案法官工时（小时）",
        "ctl.ct.effort_mean.help": "没有辅助人员时，结一件该类案件平均需要的法官工时（小时）。这是对结果影响最大的假设。",
        "ctl.ct.effort_cv": "工时变异系数",
        "ctl.ct.effort_cv.help": "工时的标准差 ÷ 平均值（无单位），越大表示案件之间难易差别越大。",
        "ctl.ct.waiting_dist": "程序等待时间的分布",
        "ctl.ct.waiting_dist.help": "送达、答辩、举证、开庭通知等程序性等待（不占用法官工时）的分布。",
        "ctl.ct.waiting_mean": "程序等待（天）",
        "ctl.ct.waiting_mean.help": "平均程序性等待天数（自然日）。",
        "ctl.ct.waiting_cv": "等待时间变异系数",
        "ctl.ct.waiting_cv.help": "等待天数的标准差 ÷ 平均值（无单位）。",
        "ctl.ct.settlement_rate": "调解撤诉率（%）",
        "ctl.ct.settlement_rate.help": "立案后以调解或撤诉结案的比例（%）。",
        "ctl.ct.settlement_effort_factor": "调撤案件工时占比（%）",
        "ctl.ct.settlement_effort_factor.help": "调解、撤诉结案的案件所需工时占完整工时的比例（%）。",
        "ctl.ct.public_notice_rate": "公告送达比例（%）",
        "ctl.ct.public_notice_rate.help": "需要公告送达的案件比例（%）。公告期不计入审限。",
        "ctl.ct.appraisal_rate": "鉴定比例（%）",
        "ctl.ct.appraisal_rate.help": "需要鉴定的案件比例（%）。鉴定期间不计入审限。",
        "ctl.med_dur_mean": "诉前调解平均用时（天）",
        "ctl.med_dur_mean.help": "一次诉前调解平均持续的自然日数（天）。",
        "ctl.med_dur_cv": "调解用时变异系数",
        "ctl.med_dur_cv.help": "调解用时的标准差 ÷ 平均值（无单位）。",
        "ctl.appr_mean": "鉴定平均用时（天）",
        "ctl.appr_mean.help": "一次鉴定平均持续的自然日数（天），不计入审限。",
        "ctl.appr_cv": "鉴定用时变异系数",
        "ctl.appr_cv.help": "鉴定用时的标准差 ÷ 平均值（无单位）。",
        "ctl.public_notice_days": "公告送达期（天）",
        "ctl.public_notice_days.help": "公告送达自发出公告之日起经过的天数（天），不计入审限。",
        "ctl.cal_hours": "法官每日办案工时（小时）",
        "ctl.cal_hours.help": "每个工作日法官可用于办案的小时数（小时）。",
        "ctl.cal_weekdays": "工作日",
        "ctl.cal_weekdays.help": "每周哪几天上班。",
        "ctl.cal_push_months": "集中结案月份",
        "ctl.cal_push_months.help": "这些月份法官加班冲刺结案（如 12 月）。",
        "ctl.cal_push_factor": "冲刺月份产能倍数",
        "ctl.cal_push_factor.help": "集中结案月份的办案能力是平时的多少倍（1 表示不加班）。",
        "ctl.cal_holidays": "法定节假日（每行一个日期，YYYY-MM-DD）",
        "ctl.cal_holidays.help": "这些日期不上班。调休上班日沿用方案文件中的设置。",
        "ctl.sup_max_reduction": "辅助人员最多可减少的法官工时（%）",
        "ctl.sup_max_reduction.help": "法官助理和书记员充足时，法官工时最多减少的比例（%）。",
        "ctl.sup_assistant_weight": "法官助理的作用权重",
        "ctl.sup_assistant_weight.help": "一名法官助理相当于多少个“标准辅助人员”（无单位）。",
        "ctl.sup_clerk_weight": "书记员的作用权重",
        "ctl.sup_clerk_weight.help": "一名书记员相当于多少个“标准辅助人员”（无单位）。",
        "ctl.sup_scale": "辅助人员配比尺度（人/法官）",
        "ctl.sup_scale.help": "每名法官配备这么多标准辅助人员时，可达到最大减负效果的 63%。",
        "ctl.proc.limit_months": "审限（月）",
        "ctl.proc.limit_months.help": "自立案次日起计算的审限月数（月）。",
        "ctl.proc.limit_days": "审限另加（天）",
        "ctl.proc.limit_days.help": "在月数之外另加的天数（天）；刑事速裁等以天计的审限填在这里。",
        "ctl.proc.extension_months": "经批准可延长（月）",
        "ctl.proc.extension_months.help": "经院长批准可延长的月数（月），0 表示不能延长。",
        "ctl.proc.extension_days": "经批准可延长（天）",
        "ctl.proc.extension_days.help": "经批准可延长的天数（天）。",
        # figures
        "fig.filed": "收案数",
        "fig.closed": "结案数",
        "fig.pending_end": "期末未结案件",
        "fig.pending_avg": "平均未结案件",
        "fig.clearance_rate": "结收比",
        "fig.closure_rate": "结案率",
        "fig.within_limit_rate": "审限内结案率",
        "fig.extension_rate": "延长审限率",
        "fig.overdue_pending_end": "超审限未结案件",
        "fig.long_pending_end": "长期未结案件",
        "fig.long_pending_share": "长期未结案件占比",
        "fig.disposition_days_mean": "平均审理天数",
        "fig.disposition_days_median": "审理天数中位数",
        "fig.disposition_days_p90": "审理天数（90% 分位）",
        "fig.wait_days_mean": "平均候审天数",
        "fig.queue_avg": "平均待办案件数",
        "fig.disputes": "诉至法院纠纷数",
        "fig.mediation_diversion_rate": "诉前调解分流率",
        "fig.mediation_success_rate": "诉前调解成功率",
        "fig.mediation_resolution_share": "诉前调解成功案件占纠纷比例",
        "fig.judge_utilisation": "法官工作饱和度",
        "fig.closures_per_judge": "人均结案数（年）",
        "fighelp.filed": "模拟期内正式立案的案件数（诉前调解化解的不算立案）。",
        "fighelp.closed": "模拟期内结案的案件数。",
        "fighelp.pending_end": "模拟期末已立案尚未结案的案件数。",
        "fighelp.pending_avg": "模拟期内未结案件数的时间平均值。",
        "fighelp.clearance_rate": "结案数 ÷ 收案数。低于 100% 表示积案在增加。",
        "fighelp.closure_rate": "结案数 ÷（期初未结 + 新收），第一年内累计。",
        "fighelp.within_limit_rate": "结案中在审限内（扣除公告、鉴定等不计入审限的期间，含经批准的延长）结案的比例。",
        "fighelp.extension_rate": "结案中需要延长审限才在期限内结案的比例。",
        "fighelp.overdue_pending_end": "期末仍未结且已超过审限（含延长）的案件数。",
        "fighelp.long_pending_end": "期末立案已超过长期未结界限（默认 12 个月）仍未结的案件数。",
        "fighelp.long_pending_share": "长期未结案件 ÷ 未结案件。",
        "fighelp.disposition_days_mean": "结案日期 − 立案日期的平均天数（自然日）。",
        "fighelp.disposition_days_median": "结案日期 − 立案日期的中位数（自然日）。",
        "fighelp.disposition_days_p90": "90% 的案件在这么多天内结案。",
        "fighelp.wait_days_mean": "案件准备就绪后等待法官处理的平均天数。",
        "fighelp.queue_avg": "等待法官处理的案件数的时间平均值。",
        "fighelp.disputes": "诉至法院的纠纷数（含诉前调解化解的）。",
        "fighelp.mediation_diversion_rate": "纠纷中引导到诉前调解的比例。",
        "fighelp.mediation_success_rate": "诉前调解中调解成功的比例。",
        "fighelp.mediation_resolution_share": "诉前调解成功案件数 ÷ 诉至法院纠纷数。",
        "fighelp.judge_utilisation": "法官实际办案工时 ÷ 可用工时。接近 100% 表示超负荷，案件会积压。",
        "fighelp.closures_per_judge": "结案数 ÷ 平均员额法官人数，折算为每年。",
        # units and formats
        "unit.cases": "{v} 件",
        "unit.days": "{v} 天",
        "unit.per_judge": "{v} 件/人",
        "unit.hours": "{v} 小时",
        "month.label": "{y}年{m}月",
        "month.axis_format": "%Y年%-m月",
        # cards
        "card.ci": "95% 区间：{range}",
        "card.met": "达标（目标 {dir} {target}）",
        "card.missed": "未达标（目标 {dir} {target}）",
        "card.no_target": "未设目标",
        "card.delta_help": "与载入的原方案相比的变化（同一组随机数，配对比较）。",
        "dir.>=": "≥",
        "dir.<=": "≤",
        # charts
        "chart.pending.title": "未结案件数（月末）",
        "chart.pending.caption": "线为各月末未结案件的平均数，阴影为 95% 置信区间；若设有目标，虚线为期末未结目标，线在虚线以下即达标。",
        "chart.within.title": "审限内结案率（按月）",
        "chart.within.caption": "每月结案中在审限内结案的比例，阴影为 95% 置信区间；虚线为目标，线在虚线以上即达标。",
        "chart.flow.title": "收案与结案（按月）",
        "chart.flow.caption": "每月新收与结案的件数：结案线高于收案线的月份，未结案件在减少。",
        "chart.age.title": "期末未结案件的账龄",
        "chart.age.caption": "期末未结案件按立案以来的月数分组，误差线为 95% 置信区间；红色虚线右侧为长期未结案件。",
        "chart.util.title": "各团队法官工作饱和度",
        "chart.util.caption": "各团队法官实际办案工时占可用工时的比例，误差线为 95% 置信区间；接近 100% 的团队是瓶颈，案件会在那里积压。",
        "chart.funnel.title": "诉前调解漏斗（整个模拟期）",
        "chart.funnel.caption": "从诉至法院的纠纷，到进入诉前调解、调解成功，再到正式立案的件数；调解成功越多，立案越少。",
        "chart.axis.month": "月份",
        "chart.axis.cases": "案件数（件）",
        "chart.axis.rate": "比例",
        "chart.axis.age": "立案以来月数",
        "chart.axis.team": "审判团队",
        "chart.axis.util": "工作饱和度",
        "chart.axis.stage": "环节",
        "chart.mean": "平均值",
        "chart.ci_low": "区间下限",
        "chart.ci_high": "区间上限",
        "chart.target": "目标",
        "chart.threshold": "长期未结界限：{m} 个月",
        "chart.series": "类别",
        "chart.band": "账龄",
        "chart.band_label": "{lo}–{hi} 个月",
        "chart.band_label_open": "{lo} 个月以上",
        "chart.long": "是否长期未结",
        "chart.long.yes": "长期未结",
        "chart.long.no": "未到长期未结",
        "chart.stage.disputes": "诉至法院纠纷",
        "chart.stage.mediated": "进入诉前调解",
        "chart.stage.resolved": "调解成功（不立案）",
        "chart.stage.filed": "正式立案",
        "chart.count": "件数",
        # all-figures table
        "tbl.figure": "指标",
        "tbl.mean": "平均值",
        "tbl.ci": "95% 置信区间",
        "tbl.target": "目标",
        "tbl.status": "是否达标",
        "tbl.met": "✓ 达标",
        "tbl.missed": "✗ 未达标",
        # downloads
        "dl.yaml": "下载当前方案（YAML）",
        "dl.yaml.help": "把当前设置（含修改）保存为方案文件，可放入 scenarios/ 目录或交给他人复现。",
        "dl.csv": "下载模拟结果（CSV：按月与全期）",
        "dl.csv.help": "每个指标的全期与逐月平均值及 95% 置信区间，可用 Excel 打开。",
        "dl.csv.period": "期间",
        "dl.csv.total": "全期",
        "dl.csv.figure_code": "指标代码",
        "dl.csv.figure": "指标",
        "dl.csv.mean": "平均值",
        "dl.csv.ci_low": "区间下限",
        "dl.csv.ci_high": "区间上限",
        "dl.invalid": "当前设置有误，修正后才能下载方案。",
        # errors
        "err.shares_sum": "各案件类型占立案比例之和须为 100%，现在是 {total}。请调整“高级参数”中的各类占比（或拖动“简案占比”自动调整）。",
        "err.track_no_team": "有案件进入{track}通道，但没有团队承办：请在审判团队表中至少保留一个“{track}”团队。",
        "err.pending_no_team": "有{track}旧存案件，但没有{track}团队承办：请添加团队或把旧存设为 0。",
        "err.team_names_unique": "团队名称不能重复：请给重名的团队改名。",
        "err.unknown_procedure": "程序不存在，可选：{allowed}。",
        "err.ge": "数值不能小于 {v}。",
        "err.le": "数值不能大于 {v}。",
        "err.gt": "数值必须大于 {v}。",
        "err.lt": "数值必须小于 {v}。",
        "err.empty": "不能为空，请填写。",
        "err.number": "请填写数字。",
        "err.integer": "请填写整数。",
        "err.track_choice": "类别只能是“简案”或“繁案”。",
        "err.too_long": "内容过长。",
        "err.positive_limit": "审限须大于 0：请填写月数或天数。",
        "err.bad_date": "无法识别的日期“{v}”，请按 YYYY-MM-DD 填写。",
        "err.too_many_teams": "审判团队最多 {n} 个。",
        "err.no_teams": "至少需要一个审判团队。",
        "err.other": "{msg}",
        "err.where.general": "方案",
    },
    "en": {
        "app.title": "Court caseload simulator · staffing what-if",
        "app.subtitle": "Change staffing and assignment on the left and see whether the time-limit and backlog targets are met. Figures are means of {reps} random replications; brackets give the 95 % confidence interval.",
        "app.scenario_line": "Scenario: **{name}** · {months} months from {start} · {reps} replications · seed {seed}",
        "app.edited": "Edited (the change against the loaded scenario is shown under each figure)",
        "app.unedited": "Not edited (the scenario as loaded)",
        "app.run_time": "computed in {sec} s",
        "app.cached": "results from the cache",
        "app.progress": "Simulating: {done} of {total} replications done",
        "app.progress_base": "Simulating the loaded scenario (for the comparison): {done} of {total} replications done",
        "app.invalid_title": "The settings have a problem, so nothing was recomputed. Change the following (the sidebar marks each place too):",
        "app.showing_last": "The results below are from the last valid settings.",
        "app.no_results": "No results to show yet: fix the settings above first.",
        "app.section_cards": "Headline figures (whole horizon)",
        "app.section_charts": "Month by month and structure",
        "app.section_all": "All figures",
        "app.section_downloads": "Downloads",
        "app.description": "About this scenario",
        "app.run_failed": "The simulation could not finish: {msg}",
        "sb.lang": "语言 / Language",
        "sb.lang.help": "Switch the language of the page.",
        "nav.label": "Page",
        "nav.help": "What-if: change one plan's staffing and see the results; Compare: saved plans side by side; Advisor: the best split of a given staff.",
        "nav.whatif": "What-if",
        "nav.compare": "Compare plans",
        "nav.advisor": "Advisor",
        "sb.scenario": "Scenario",
        "sb.scenario.help": "Pick a scenario file from the scenarios/ folder. Switching discards your edits.",
        "sb.reset": "Back to the loaded scenario",
        "sb.reset.help": "Discard every edit and return to the settings in the scenario file.",
        "sb.exp.demand": "Demand (filings)",
        "sb.exp.mediation": "Pre-filing mediation",
        "sb.exp.triage": "Simple/complex triage",
        "sb.exp.teams": "Trial teams and staff",
        "sb.exp.policy": "Assignment and work order",
        "sb.exp.pending": "Carried-over cases and long-pending",
        "sb.exp.targets": "Targets",
        "sb.exp.run": "Horizon and replications",
        "sb.exp.advanced": "Advanced (distributions, calendar, time limits)",
        "sb.invalid_here": "Problem here:",
        "sb.profile": "Relative volume by month",
        "sb.profile.help": "Relative weight of each month's disputes (January first), normalised to a mean of 1. E.g. 0.7 for February (Spring Festival), 1.3 for the year-end rush in December.",
        "sb.profile.month": "Month",
        "sb.profile.weight": "Weight",
        "sb.teams.table": "Trial teams (add, remove, rename rows)",
        "sb.teams.table.help": "One row per trial team. Add a team with “+” below the table, select rows to delete them; edit names, track and head counts in place.",
        "sb.teams.totals": "Totals: **{judges}** quota judges, {assistants} judge assistants, {clerks} clerks; {ratio} support staff per judge. Judges in simple-case teams: {simple_j}; in complex-case teams: {complex_j}.",
        "sb.teams.sliders": "Quota judges per team (drag to try a plan)",
        "sb.teams.slider": "{team}: quota judges",
        "sb.teams.slider.help": "Quota judges (员额法官) in this team, in persons. Assistants and clerks are edited in the table above.",
        "sb.teams.new": "New team {n}",
        "sb.ct.tab": "{name}",
        "sb.ct.header": "Case types (shares, procedure, effort)",
        "sb.proc.header": "Statutory time limits (by procedure)",
        "sb.cal.header": "Working calendar",
        "sb.support.header": "Effect of support staff",
        "sb.durations.header": "Mediation and appraisal durations",
        "sb.not_editable": "Parameters not edited here (e.g. secondments, the age profile of carried-over cases) keep the scenario file's values.",
        "col.name": "Team",
        "col.name.help": "Name of the trial team; names must be unique.",
        "col.track": "Track",
        "col.track.help": "Simple-case team (speedy track) or complex-case team.",
        "col.judges": "Judges",
        "col.judges.help": "Quota judges (员额法官), persons.",
        "col.assistants": "Assistants",
        "col.assistants.help": "Judge assistants (法官助理), persons; they reduce the judge-hours a case needs.",
        "col.clerks": "Clerks",
        "col.clerks.help": "Clerks (书记员), persons; they reduce the judge-hours a case needs.",
        "opt.track.simple": "Simple (speedy)",
        "opt.track.complex": "Complex",
        "opt.track_short.simple": "Simple",
        "opt.track_short.complex": "Complex",
        "opt.assignment.rotation": "Rotation (teams take turns)",
        "opt.assignment.least_loaded": "Least loaded (team with fewest open cases)",
        "opt.queue.fifo": "First come, first served",
        "opt.queue.edf": "Earliest deadline first",
        "opt.dist.lognormal": "Lognormal",
        "opt.dist.gamma": "Gamma",
        "opt.dist.exponential": "Exponential",
        "opt.dist.deterministic": "Fixed",
        "opt.weekday": "{d}",
        "opt.month": "{m}",
        "ctl.disputes_per_year": "Disputes brought to the court per year",
        "ctl.disputes_per_year.help": "Disputes brought to the court each year (诉至法院纠纷数), cases per year, including those settled in pre-filing mediation; formal filings = disputes − mediation successes.",
        "ctl.annual_growth": "Yearly growth of disputes (%)",
        "ctl.annual_growth.help": "Growth of the dispute volume per year, in %; 5 means +5 % a year, negative means fewer.",
        "ctl.freeze_day": "Year-end filing freeze from 1–31 December (empty = none)",
        "ctl.freeze_day.help": "If set, filings from this day of December are held back to the first working day of January (年底不收案), so its cost can be seen: a January surge and older cases. Empty = normal filing all year.",
        "ctl.med_share": "Mediation diversion rate (%)",
        "ctl.med_share.help": "Share of disputes sent to pre-filing mediation (诉前调解), in %. Mediation happens before filing, so it never counts against the time limit.",
        "ctl.med_success": "Mediation success rate (%)",
        "ctl.med_success.help": "Share of mediated disputes that settle and are never filed, in %.",
        "ctl.med_mediators": "Mediations at once (empty = unlimited)",
        "ctl.med_mediators.help": "Mediator capacity: how many pre-filing mediations can run at the same time (cases). Empty = no limit.",
        "ctl.med_max_days": "Mediation period (days)",
        "ctl.med_max_days.help": "Longest a pre-filing mediation may run, in calendar days; unsuccessful mediations are then filed. Normally 30 days.",
        "ctl.simple_share": "Simple cases (%)",
        "ctl.simple_share.help": "Share of filings that are simple cases (speedy, simple procedure, small claims), in %. Dragging rescales the case types' shares; edit them one by one under Advanced.",
        "ctl.triage_accuracy": "Triage accuracy (%)",
        "ctl.triage_accuracy.help": "Share of cases triaged (繁简分流) to their own track, in %. Complex cases wrongly sent to a simple team are mostly converted to ordinary procedure.",
        "ctl.conversion_rate": "Conversion to ordinary procedure (%)",
        "ctl.conversion_rate.help": "Share of correctly triaged simple cases converted to ordinary procedure (简转普), in %. Their limit becomes the ordinary one, counted from the original filing date.",
        "ctl.misrouted_conversion_rate": "Conversion of misrouted complex cases (%)",
        "ctl.misrouted_conversion_rate.help": "Share of complex cases wrongly sent to the simple track that are converted, in %.",
        "ctl.conversion_effort_share": "Effort spent before conversion (%)",
        "ctl.conversion_effort_share.help": "Share of its effort a converted case costs the simple team before it moves to a complex team, in %.",
        "ctl.assignment": "Case assignment",
        "ctl.assignment.help": "How a track's cases are shared among its teams (分案): rotation (轮案, in turn) or to the team with the fewest open cases.",
        "ctl.queue_discipline": "Work order",
        "ctl.queue_discipline.help": "Order in which a team takes its ready cases: first come first served, or the case whose time limit ends first.",
        "ctl.init_simple": "Carried-over simple cases",
        "ctl.init_simple.help": "Pending simple cases at the start (旧存), cases.",
        "ctl.init_complex": "Carried-over complex cases",
        "ctl.init_complex.help": "Pending complex cases at the start (旧存), cases.",
        "ctl.long_pending_months": "Long-pending threshold (months)",
        "ctl.long_pending_months.help": "A case still pending this many months after filing counts as long-pending (长期未结); 12 or 18 months are common.",
        "ctl.tgt_within_limit_rate": "Within-limit rate target (%, at least)",
        "ctl.tgt_within_limit_rate.help": "Lowest acceptable within-limit rate (审限内结案率), in %. Empty = no target.",
        "ctl.tgt_clearance_rate": "Clearance rate target (%, at least)",
        "ctl.tgt_clearance_rate.help": "Lowest acceptable closed ÷ filed (结收比), in %; 100 means closing at least as many as filed. Empty = no target.",
        "ctl.tgt_long_pending_end": "Long-pending at end target (cases, at most)",
        "ctl.tgt_long_pending_end.help": "Most long-pending cases acceptable at the end, cases; 0 means none. Empty = no target.",
        "ctl.tgt_overdue_pending_end": "Overdue pending at end target (cases, at most)",
        "ctl.tgt_overdue_pending_end.help": "Most pending cases past their limit acceptable at the end, cases. Empty = no target.",
        "ctl.tgt_pending_end": "Pending at end target (cases, at most)",
        "ctl.tgt_pending_end.help": "Most pending cases acceptable at the end, cases. Empty = no target.",
        "ctl.tgt_disposition_days_mean": "Mean disposition time target (days, at most)",
        "ctl.tgt_disposition_days_mean.help": "Longest acceptable mean time from filing to closing, calendar days. Empty = no target.",
        "ctl.tgt_mediation_resolution_share": "Mediation resolution share target (%, at least)",
        "ctl.tgt_mediation_resolution_share.help": "Lowest acceptable share of disputes resolved in pre-filing mediation, in %. Empty = no target.",
        "ctl.start_date": "Start date",
        "ctl.start_date.help": "First day of the simulated horizon. Public holidays are under Advanced · Working calendar.",
        "ctl.horizon_months": "Horizon (months)",
        "ctl.horizon_months.help": "How many months to simulate and report.",
        "ctl.replications": "Replications",
        "ctl.replications.help": "How many times the horizon is simulated with different random numbers. More replications give narrower intervals but take longer; 20 take a few seconds.",
        "ctl.seed": "Random seed",
        "ctl.seed.help": "Same seed and settings give exactly the same results, so every trainee sees the same; comparing plans with one seed removes the dice from the difference.",
        "ctl.ct.share": "Share of filings (%)",
        "ctl.ct.share.help": "Share of formal filings that are of this type, in %. All types must add up to 100 %.",
        "ctl.ct.track": "Track",
        "ctl.ct.track.help": "Track this type goes to when triaged correctly: simple or complex.",
        "ctl.ct.procedure": "Procedure (sets the time limit)",
        "ctl.ct.procedure.help": "Procedure applied on its own track; it decides the statutory time limit.",
        "ctl.ct.effort_dist": "Distribution of judge hours",
        "ctl.ct.effort_dist.help": "Shape of the random judge-hours a case needs.",
        "ctl.ct.effort_mean": "Judge hours per case",
        "ctl.ct.effort_mean.help": "Mean judge hours to close one case of this type without support staff. This assumption moves the results more than any other.",
        "ctl.ct.effort_cv": "Variation of judge hours (CV)",
        "ctl.ct.effort_cv.help": "Standard deviation ÷ mean of the hours (no unit); larger means cases differ more.",
        "ctl.ct.waiting_dist": "Distribution of procedural waiting",
        "ctl.ct.waiting_dist.help": "Shape of the procedural waiting (service, answer and evidence periods, hearing notice) that uses no judge time.",
        "ctl.ct.waiting_mean": "Procedural waiting (days)",
        "ctl.ct.waiting_mean.help": "Mean procedural waiting, calendar days.",
        "ctl.ct.waiting_cv": "Variation of waiting (CV)",
        "ctl.ct.waiting_cv.help": "Standard deviation ÷ mean of the waiting days (no unit).",
        "ctl.ct.settlement_rate": "Settled or withdrawn (%)",
        "ctl.ct.settlement_rate.help": "Share of cases that end by mediated settlement or withdrawal (调解/撤诉), in %.",
        "ctl.ct.settlement_effort_factor": "Effort of a settled case (%)",
        "ctl.ct.settlement_effort_factor.help": "Judge hours of a settled or withdrawn case as a share of the full effort, in %.",
        "ctl.ct.public_notice_rate": "Public-notice service (%)",
        "ctl.ct.public_notice_rate.help": "Share of cases that need public-notice service (公告送达), in %; the notice period does not count against the limit.",
        "ctl.ct.appraisal_rate": "Appraisal (%)",
        "ctl.ct.appraisal_rate.help": "Share of cases that need an appraisal (鉴定), in %; the appraisal does not count against the limit.",
        "ctl.med_dur_mean": "Mean mediation time (days)",
        "ctl.med_dur_mean.help": "Mean calendar days one pre-filing mediation takes.",
        "ctl.med_dur_cv": "Variation of mediation time (CV)",
        "ctl.med_dur_cv.help": "Standard deviation ÷ mean of the mediation time (no unit).",
        "ctl.appr_mean": "Mean appraisal time (days)",
        "ctl.appr_mean.help": "Mean calendar days an appraisal takes; it does not count against the limit.",
        "ctl.appr_cv": "Variation of appraisal time (CV)",
        "ctl.appr_cv.help": "Standard deviation ÷ mean of the appraisal time (no unit).",
        "ctl.public_notice_days": "Public-notice period (days)",
        "ctl.public_notice_days.help": "Public-notice service completes this many days after notice; not counted against the limit.",
        "ctl.cal_hours": "Judge case hours per working day",
        "ctl.cal_hours.help": "Hours a judge spends on cases per working day.",
        "ctl.cal_weekdays": "Working days",
        "ctl.cal_weekdays.help": "Days of the week that are worked.",
        "ctl.cal_push_months": "Closing-push months",
        "ctl.cal_push_months.help": "Months in which judges push to close cases (e.g. December).",
        "ctl.cal_push_factor": "Capacity in push months (×)",
        "ctl.cal_push_factor.help": "Capacity in push months as a multiple of normal (1 = no push).",
        "ctl.cal_holidays": "Public holidays (one date per line, YYYY-MM-DD)",
        "ctl.cal_holidays.help": "No work on these dates. Weekend make-up working days (调休) keep the scenario file's values.",
        "ctl.sup_max_reduction": "Largest cut in judge hours by support staff (%)",
        "ctl.sup_max_reduction.help": "With plenty of assistants and clerks, judge hours per case fall by at most this share, in %.",
        "ctl.sup_assistant_weight": "Weight of a judge assistant",
        "ctl.sup_assistant_weight.help": "How many standard support staff one judge assistant counts as (no unit).",
        "ctl.sup_clerk_weight": "Weight of a clerk",
        "ctl.sup_clerk_weight.help": "How many standard support staff one clerk counts as (no unit).",
        "ctl.sup_scale": "Support scale (staff per judge)",
        "ctl.sup_scale.help": "Standard support staff per judge at which 63 % of the largest cut is reached.",
        "ctl.proc.limit_months": "Limit (months)",
        "ctl.proc.limit_months.help": "Statutory limit in calendar months from the day after filing.",
        "ctl.proc.limit_days": "Limit, extra days",
        "ctl.proc.limit_days.help": "Days added to the months; limits counted in days (criminal speedy) go here.",
        "ctl.proc.extension_months": "Approved extension (months)",
        "ctl.proc.extension_months.help": "Months the president may approve as an extension; 0 = none.",
        "ctl.proc.extension_days": "Approved extension (days)",
        "ctl.proc.extension_days.help": "Days that may be approved as an extension.",
        "fig.filed": "Filed",
        "fig.closed": "Closed",
        "fig.pending_end": "Pending at end",
        "fig.pending_avg": "Average pending",
        "fig.clearance_rate": "Clearance rate",
        "fig.closure_rate": "Closure rate",
        "fig.within_limit_rate": "Within-limit rate",
        "fig.extension_rate": "Extension rate",
        "fig.overdue_pending_end": "Overdue pending",
        "fig.long_pending_end": "Long-pending cases",
        "fig.long_pending_share": "Long-pending share",
        "fig.disposition_days_mean": "Mean disposition time",
        "fig.disposition_days_median": "Median disposition time",
        "fig.disposition_days_p90": "Disposition time (90th percentile)",
        "fig.wait_days_mean": "Mean wait for a judge",
        "fig.queue_avg": "Average cases waiting",
        "fig.disputes": "Disputes brought to the court",
        "fig.mediation_diversion_rate": "Mediation diversion rate",
        "fig.mediation_success_rate": "Mediation success rate",
        "fig.mediation_resolution_share": "Mediation resolution share",
        "fig.judge_utilisation": "Judge utilisation",
        "fig.closures_per_judge": "Closures per judge (year)",
        "fighelp.filed": "Formal filings in the horizon (disputes settled in pre-filing mediation are not filings).",
        "fighelp.closed": "Cases closed in the horizon.",
        "fighelp.pending_end": "Filed and not yet closed at the end of the horizon.",
        "fighelp.pending_avg": "Time-average of the pending caseload.",
        "fighelp.clearance_rate": "Closed ÷ filed. Below 100 % the backlog grows.",
        "fighelp.closure_rate": "Closed ÷ (pending at the start + filed), cumulative within the first year.",
        "fighelp.within_limit_rate": "Share of closed cases whose clock (calendar days minus public notice, appraisal and other excluded periods) was within the limit, counting approved extensions.",
        "fighelp.extension_rate": "Share of closed cases that needed an extension.",
        "fighelp.overdue_pending_end": "Pending cases already past their limit (with extension) at the end.",
        "fighelp.long_pending_end": "Pending cases older than the long-pending threshold (12 months by default) at the end.",
        "fighelp.long_pending_share": "Long-pending ÷ pending.",
        "fighelp.disposition_days_mean": "Mean of closing date − filing date, calendar days.",
        "fighelp.disposition_days_median": "Median of closing date − filing date, calendar days.",
        "fighelp.disposition_days_p90": "90 % of cases close within this many days.",
        "fighelp.wait_days_mean": "Mean days a ready case waits for a judge.",
        "fighelp.queue_avg": "Time-average number of ready cases waiting for a judge.",
        "fighelp.disputes": "Disputes brought to the court, including those settled in mediation.",
        "fighelp.mediation_diversion_rate": "Share of disputes sent to pre-filing mediation.",
        "fighelp.mediation_success_rate": "Share of mediations that resolve the dispute.",
        "fighelp.mediation_resolution_share": "Disputes resolved in pre-filing mediation ÷ all disputes brought to the court.",
        "fighelp.judge_utilisation": "Judge-hours worked ÷ judge-hours available. Near 100 % the team is overloaded and cases pile up.",
        "fighelp.closures_per_judge": "Closed cases ÷ average quota judges, per year.",
        "unit.cases": "{v}",
        "unit.days": "{v} days",
        "unit.per_judge": "{v} per judge",
        "unit.hours": "{v} h",
        "month.label": "{mon} {y}",
        "month.axis_format": "%b %Y",
        "card.ci": "95 % interval: {range}",
        "card.met": "Met (target {dir} {target})",
        "card.missed": "Missed (target {dir} {target})",
        "card.no_target": "No target",
        "card.delta_help": "Change against the loaded scenario (same random numbers, paired).",
        "dir.>=": "≥",
        "dir.<=": "≤",
        "chart.pending.title": "Pending cases (end of month)",
        "chart.pending.caption": "The line is the mean pending caseload at each month end and the band its 95 % interval; a dashed line, if any, is the pending target, met while the line stays below it.",
        "chart.within.title": "Within-limit rate by month",
        "chart.within.caption": "Share of each month's closed cases closed within the time limit, with its 95 % band; the dashed line is the target, met while the line stays above it.",
        "chart.flow.title": "Filed and closed by month",
        "chart.flow.caption": "Cases filed and closed each month: in months where the closed line is above the filed line, the pending caseload shrinks.",
        "chart.age.title": "Age of the pending caseload at the end",
        "chart.age.caption": "Cases pending at the end grouped by months since filing, with 95 % error bars; bars right of the red dashed line are long-pending.",
        "chart.util.title": "Judge utilisation by team",
        "chart.util.caption": "Judge-hours worked as a share of judge-hours available in each team, with 95 % error bars; a team near 100 % is the bottleneck where cases pile up.",
        "chart.funnel.title": "Pre-filing mediation funnel (whole horizon)",
        "chart.funnel.caption": "Disputes brought to the court, those sent to pre-filing mediation, those resolved there, and those formally filed: every mediation success is one filing fewer.",
        "chart.axis.month": "Month",
        "chart.axis.cases": "Cases",
        "chart.axis.rate": "Share",
        "chart.axis.age": "Months since filing",
        "chart.axis.team": "Trial team",
        "chart.axis.util": "Utilisation",
        "chart.axis.stage": "Stage",
        "chart.mean": "Mean",
        "chart.ci_low": "Interval low",
        "chart.ci_high": "Interval high",
        "chart.target": "Target",
        "chart.threshold": "Long-pending threshold: {m} months",
        "chart.series": "Series",
        "chart.band": "Age",
        "chart.band_label": "{lo}–{hi} months",
        "chart.band_label_open": "over {lo} months",
        "chart.long": "Long-pending?",
        "chart.long.yes": "Long-pending",
        "chart.long.no": "Not long-pending",
        "chart.stage.disputes": "Disputes brought",
        "chart.stage.mediated": "Sent to mediation",
        "chart.stage.resolved": "Resolved (not filed)",
        "chart.stage.filed": "Formally filed",
        "chart.count": "Cases",
        "tbl.figure": "Figure",
        "tbl.mean": "Mean",
        "tbl.ci": "95 % interval",
        "tbl.target": "Target",
        "tbl.status": "Met?",
        "tbl.met": "✓ Met",
        "tbl.missed": "✗ Missed",
        "dl.yaml": "Download the scenario (YAML)",
        "dl.yaml.help": "Saves the current settings, edits included, as a scenario file to put in scenarios/ or to share.",
        "dl.csv": "Download the results (CSV: monthly and total)",
        "dl.csv.help": "Every figure's total and monthly mean with its 95 % interval; opens in Excel.",
        "dl.csv.period": "period",
        "dl.csv.total": "total",
        "dl.csv.figure_code": "figure_code",
        "dl.csv.figure": "figure",
        "dl.csv.mean": "mean",
        "dl.csv.ci_low": "ci_low",
        "dl.csv.ci_high": "ci_high",
        "dl.invalid": "Fix the settings to download the scenario.",
        "err.shares_sum": "The case types' shares of filings must add up to 100 %; they add up to {total}. Adjust the shares under Advanced (or drag “Simple cases” to rescale them).",
        "err.track_no_team": "Cases reach the {track} track but no team serves it: keep at least one “{track}” team in the team table.",
        "err.pending_no_team": "There are carried-over {track} cases but no {track} team: add a team or set them to 0.",
        "err.team_names_unique": "Team names must be unique: rename the duplicate.",
        "err.unknown_procedure": "Unknown procedure; choose one of: {allowed}.",
        "err.ge": "Must be at least {v}.",
        "err.le": "Must be at most {v}.",
        "err.gt": "Must be more than {v}.",
        "err.lt": "Must be less than {v}.",
        "err.empty": "Must not be empty.",
        "err.number": "Enter a number.",
        "err.integer": "Enter a whole number.",
        "err.track_choice": "The track must be “Simple” or “Complex”.",
        "err.too_long": "Too long.",
        "err.positive_limit": "The time limit must be positive: give months or days.",
        "err.bad_date": "“{v}” is not a date; write it as YYYY-MM-DD.",
        "err.too_many_teams": "At most {n} trial teams.",
        "err.no_teams": "At least one trial team is needed.",
        "err.other": "{msg}",
        "err.where.general": "Scenario",
    },
}

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = {"zh": ("一", "二", "三", "四", "五", "六", "日"),
             "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")}


def t(lang: str, key: str, **kw: Any) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled in.

    A missing key raises KeyError: a silent fallback would show raw keys to users.
    """
    s = STRINGS[lang if lang in STRINGS else DEFAULT_LANG][key]
    return s.format(**kw) if kw else s


def fig_name(lang: str, figure: str) -> str:
    """Display name of a figure of ``sim.figures.FIGURES``."""
    return t(lang, f"fig.{figure}")


def fmt_number(x: float | None, digits: int = 0) -> str:
    """Thousands separators and fixed decimals; an em dash for a missing value.

    Both languages group thousands with commas (as Chinese court reports do).
    """
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x:,.{digits}f}"


def fmt_pct(x: float | None, digits: int = 1) -> str:
    """A fraction 0..1 as a percentage."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x * 100:.{digits}f}%"


# figures whose engine kind is "ratio" but that courts read as a percentage (结收比 105%)
SHOWN_AS_PERCENT = {"clearance_rate"}


def display_kind(figure: str, kind: str) -> str:
    """The kind a figure is shown as: 结收比 is a ratio read as a percentage."""
    return "rate" if figure in SHOWN_AS_PERCENT else kind


def fmt_figure(lang: str, kind: str, x: float | None, figure: str = "") -> str:
    """Format a figure's value by its kind (count, rate, days, ratio) for ``lang``."""
    kind = display_kind(figure, kind)
    if kind == "rate":
        return fmt_pct(x)
    if kind == "days":
        return t(lang, "unit.days", v=fmt_number(x, 1))
    if kind == "ratio":
        return t(lang, "unit.per_judge", v=fmt_number(x, 0))
    digits = 1 if x is not None and math.isfinite(x) and abs(x) < 10 and x != round(x) else 0
    return t(lang, "unit.cases", v=fmt_number(x, digits))


def fmt_range(lang: str, kind: str, lo: float | None, hi: float | None, figure: str = "") -> str:
    """An interval with its unit written once: '94.6% – 95.1%', '73.0 – 75.3 天', '18 – 26 件'."""
    a, b = fmt_figure(lang, kind, lo, figure), fmt_figure(lang, kind, hi, figure)
    m = re.match(r"^(-?[\d,.]+)(\D.*)?$", a)
    if display_kind(figure, kind) != "rate" and m and m.group(2) and b.endswith(m.group(2)):
        a = m.group(1)
    return f"{a} – {b}"


def fmt_delta(kind: str, d: float | None, figure: str = "") -> str | None:
    """A signed change for ``st.metric``'s delta (percentage points for rates)."""
    kind = display_kind(figure, kind)
    if d is None or not math.isfinite(d):
        return None
    if kind == "rate":
        return f"{d * 100:+.1f} pp" if abs(d) >= 0.0005 else "±0.0 pp"
    digits = 0 if kind == "count" and abs(d) >= 10 else 1
    s = f"{d:+,.{digits}f}"
    return s if float(s.replace(",", "")) != 0 else "±0"


def month_label(lang: str, ym: str) -> str:
    """'2025-01' as '2025年1月' or 'Jan 2025'."""
    y, m = ym.split("-")[:2]
    mi = int(m)
    return t(lang, "month.label", y=y, m=mi, mon=_MONTHS_EN[mi - 1])


def weekday_label(lang: str, d: int) -> str:
    """ISO weekday 1..7 as a short name."""
    return t(lang, "opt.weekday", d=_WEEKDAYS[lang][d - 1])


def month_name(lang: str, m: int) -> str:
    """Calendar month 1..12."""
    return t(lang, "opt.month", m=m if lang == "zh" else _MONTHS_EN[m - 1])


def track_label(lang: str, track: str) -> str:
    """'simple' / 'complex' in court terms."""
    return t(lang, f"opt.track.{track}")


def track_short(lang: str, track: str) -> str:
    """'简案' / '繁案': the team table is narrow."""
    return t(lang, f"opt.track_short.{track}")


_TRACK_WORDS = {"zh": {"simple": "简案", "complex": "繁案"}, "en": {"simple": "simple", "complex": "complex"}}


def translate_error(lang: str, message: str) -> str:
    """Turn an engine validation message into a sentence saying what to change, in ``lang``.

    The engine speaks English; known messages are matched and rewritten, anything else is
    passed through unchanged rather than hidden.
    """
    words = _TRACK_WORDS[lang]
    m = re.match(r"case type shares must sum to 1, they sum to ([-\d.]+)", message)
    if m:
        return t(lang, "err.shares_sum", total=fmt_pct(float(m.group(1))))
    m = re.match(r"cases reach the (\w+) track but no team serves it", message)
    if m:
        return t(lang, "err.track_no_team", track=words.get(m.group(1), m.group(1)))
    m = re.match(r"no team serves the (\w+) track", message)
    if m:
        return t(lang, "err.pending_no_team", track=words.get(m.group(1), m.group(1)))
    m = re.match(r"bad date: (.*)", message)
    if m:
        return t(lang, "err.bad_date", v=m.group(1))
    if message.startswith("team names must be unique"):
        return t(lang, "err.team_names_unique")
    m = re.match(r"unknown procedure; allowed: (.*)", message)
    if m:
        return t(lang, "err.unknown_procedure", allowed=m.group(1))
    m = re.match(r"Input should be (greater|less) than( or equal to)? (\S+)", message)
    if m:
        key = {("greater", True): "err.ge", ("greater", False): "err.gt",
               ("less", True): "err.le", ("less", False): "err.lt"}[(m.group(1), bool(m.group(2)))]
        return t(lang, key, v=m.group(3))
    if message.startswith("String should have at least"):
        return t(lang, "err.empty")
    if message.startswith("String should have at most"):
        return t(lang, "err.too_long")
    if message.startswith("Input should be a valid integer"):
        return t(lang, "err.integer")
    if message.startswith("Input should be a valid number"):
        return t(lang, "err.number")
    if message.startswith("Input should be 'simple' or 'complex'"):
        return t(lang, "err.track_choice")
    if message.startswith("a procedure needs a positive limit"):
        return t(lang, "err.positive_limit")
    m = re.match(r"List should have at most (\d+) items", message)
    if m:
        return t(lang, "err.too_many_teams", n=m.group(1))
    if message.startswith("List should have at least 1 item"):
        return t(lang, "err.no_teams")
    return t(lang, "err.other", msg=message)
