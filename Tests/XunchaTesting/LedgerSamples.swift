import Foundation
import XunchaCore

/// An office's ledgers of 十五届第1轮 (the scenario's round on site), as its spreadsheets hold them,
/// for the import tests: days in the spellings Excel and WPS leave, one of them a date serial.
public enum LedgerSamples {
    public static let problemListHeader =
        "编号,问题描述,被巡察单位,巡察轮次,批次,巡察组,问题类别,处置方式,处置说明,四种形态,责任领导,责任部门,责任人,整改时限,整改状态,销号日期,发现日期,被反映人,干部管理权限,问题性质"

    /// Six problems: two 限期整改 at 市财政局 (one closed, one still under way and past its deadline by
    /// year's end), one 立行立改 closed there, one lead and one not substantiated at 市教育局, and one
    /// 限期整改 at 市卫生健康委员会 reported done but not yet closed.
    public static let problemListRows = [
        "P-01,三重一大事项未经集体决策。2026年两笔大额支出未经党组会研究,市财政局,十五届第1轮,第1批,第一巡察组,廉洁纪律,限期整改,,第一种形态,张局长,办公室,李科长,2026-06-30,已销号,2026/5/20,2026-03-20,,,",
        "P-02,违规公款吃喝。接待超标准,市财政局,十五届第1轮,第1批,第一巡察组,违规吃喝,限期整改,,,张局长,机关党委,王科长,2026年9月30日,整改中,,2026-03-25,,,",
        "P-03,违规发放津补贴,市财政局,十五届第1轮,1,第一巡察组,违规发放津补贴或福利,立行立改,领导小组同意,,,,,,已销号,2026-04-10,2026-03-22,,,",
        "P-04,为亲属承揽工程提供便利,市教育局,第1轮,,第一巡察组,廉洁纪律,移交问题线索,,,,,,,,,2026-04-01,王某,本级管理,违纪",
        "P-05,反映食堂采购不规范,市教育局,十五届第1轮,第1批,第一巡察组,工作纪律,不予认定,经核实不属实,,,,,,,,46114,,,",
        "P-06,党组会议记录不全,市卫生健康委员会,十五届第1轮,第1批,第二巡察组,组织纪律,限期整改,,,刘主任,办公室,陈科长,2026-07-31,已完成,2026-08-01,2026-04-05,,,",
    ]

    public static func problemList(_ rows: [String] = problemListRows) -> CSVTable {
        try! CSVTable.parse(Data(([problemListHeader] + rows).joined(separator: "\n").utf8))
    }

    public static let leadRegisterHeader =
        "编号,线索内容,被反映人,职务,被巡察单位,巡察轮次,批次,巡察组,线索来源,干部管理权限,问题性质,登记日期,接收单位,接收党委,移交文号,移交日期,办理状态,处置方式,四种形态,涉及人数,办理结果,反馈日期,销号日期,备注"

    /// Four leads: answered with 第一种形态; transferred to a county's 组织部 and never answered
    /// (overdue by year's end); dismissed; closed after a 第二种形态 answer through the stationed body.
    public static let leadRegisterRows = [
        "L-01,利用职务便利为亲属承揽工程,李某,财务科科长,市财政局,十五届第1轮,第1批,第一巡察组,个别谈话,本级管理,违纪,2026-04-01,纪委监委,,江巡移〔2026〕3号,2026-05-10,已办结,谈话函询,第一种形态,1,诫勉谈话,2026-07-15,,",
        "L-02,违规提拔亲属,张某,科长,市教育局,十五届第1轮,第1批,第一巡察组,信访举报,非本级管理,选人用人,2026-04-03,组织部,清河县委,江巡移〔2026〕4号,2026-06-01,已移交,,,,,,,",
        "L-03,反映收受礼品,赵某,,市卫生健康委员会,十五届第1轮,第1批,第二巡察组,调阅资料,本级管理,违纪,2026-04-20,,,,,不作为线索,,,,,,,经研判不具备可查性",
        "L-04,违规报销差旅费,孙某,副主任,市财政局,十五届第1轮,第1批,第一巡察组,专项检查、抽查,非本级管理,违纪,2026-04-08,派驻纪检监察组,,江巡移〔2026〕5号,2026-05-12,已销号,初步核实,第二种形态,1,党内警告,2026-08-01,2026-08-20,",
    ]

    public static func leadRegister(_ rows: [String] = leadRegisterRows) -> CSVTable {
        try! CSVTable.parse(Data(([leadRegisterHeader] + rows).joined(separator: "\n").utf8))
    }
}
