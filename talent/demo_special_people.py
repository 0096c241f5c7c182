"""Who the special-talent demo is about (talent/demo_special.py takes each through the services): ten candidates of
three Pingshan employers in new-energy vehicles, biomedicine and semiconductors, and the talent work meetings that
decide some of them. Names, posts and records are invented; the ID numbers carry a correct check character."""

import datetime
from dataclasses import dataclass, field

from portal.id_numbers import resident_id_check_character

from .models import IdKind, MissedCriterion

AGE, DEGREE, TITLE, OTHER = (MissedCriterion.AGE, MissedCriterion.DEGREE, MissedCriterion.TITLE, MissedCriterion.OTHER)
ALL_YES = ("yes", "yes", "yes", "yes", "yes")


def resident_id(region, born, sequence):
    """A resident ID number (GB 11643): region, date of birth, sequence (odd for men), check character."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_character(first17)


@dataclass(frozen=True)
class Candidate:
    name: str
    employer: str  # the employer's username (talent/demo_special.py EMPLOYERS)
    theme: str
    born: datetime.date
    id_number: str
    role: str
    field: str
    education: str
    achievements: str
    missed: tuple
    explanation: str
    need: str
    influence: str
    recommenders: str
    outcome: str  # how far it goes: pre_review, supplement, declined, panel_scoring, panel_done, agenda, approved,
    # rejected, filing, objection
    days: tuple  # days ago it entered each stage, oldest first (the last: where it is now)
    name_en: str = ""
    id_kind: str = IdKind.RESIDENT_ID
    titles: str = ""
    revenue: str = ""
    tax: str = ""
    patents: str = ""
    awards: str = ""
    pre_review: str = "符合本行业急需紧缺方向，申报材料齐全，同意推荐至专家评审。"
    supplement: str = ""
    conclusion: str = ""
    conclusion_en: str = ""
    recused: tuple = ()
    votes: tuple = ALL_YES  # the members' ballots in MEMBERS' order, the recused left out
    objection: dict = field(default_factory=dict)
    investigation: str = ""
    filing_number: str = ""
    quota_reference: str = ""
    decision: str = ""


@dataclass(frozen=True)
class Meeting:
    title: str
    title_en: str
    days_ago: int  # negative: still to come
    agenda: tuple  # candidates' names
    location: str = "坪山区行政服务中心5楼第一会议室"
    minutes: str = ""


CANDIDATES = (
    Candidate(
        name="周国强",
        employer="employer1",
        theme="nev",
        born=datetime.date(1964, 8, 12),
        id_number=resident_id("430104", datetime.date(1964, 8, 12), 31),
        role="首席热管理工程师",
        field="车规级功率模块热管理与可靠性",
        education="中专，湖南省机械工业学校（1983年）",
        achievements="主持电驱控制器液冷散热平台开发，产品配套三家整车企业，累计装车超过40万台。",
        missed=(AGE, DEGREE),
        explanation="现年62周岁，超过认定年龄上限；最高学历为中专。",
        need="公司第三代碳化硅电驱控制器明年量产，散热与可靠性验证由其牵头；同时具备整车热管理与功率器件经验的工程师极少。",
        revenue="186000000",
        tax="9300000",
        patents="发明专利4项、实用新型专利11项",
        awards="深圳市科技进步奖二等奖（2023年）",
        influence="参与起草电机控制器液冷散热团体标准1项。",
        recommenders="深圳坪山驰远新能源汽车有限公司总工程师 何振华；坪山新能源汽车产业协会秘书长 冯立",
        outcome="pre_review",
        days=(3,),
    ),
    Candidate(
        name="林晓峰",
        employer="employer1",
        theme="ic",
        born=datetime.date(1979, 3, 5),
        id_number=resident_id("350203", datetime.date(1979, 3, 5), 57),
        role="毫米波雷达芯片测试总监",
        field="车载77GHz毫米波雷达芯片测试",
        education="大专，厦门某职业技术学院（2000年）",
        achievements="建成公司毫米波雷达芯片量产测试线，测试效率提升3倍，良率由92%提升至98.5%。",
        missed=(DEGREE, TITLE),
        explanation="最高学历为大专，未取得中级以上职称。",
        need="公司4D成像雷达芯片进入量产导入阶段，量产测试方案须由其负责。",
        revenue="64000000",
        tax="3100000",
        influence="在行业会议作毫米波芯片量产测试主题报告3次。",
        recommenders="深圳坪山智能网联汽车研究院主任 曹志刚",
        outcome="supplement",
        days=(12,),
        supplement=(
            "请补充近三年由其主导的芯片测试项目产值证明（须加盖公章）及主要客户证明，并修改“贡献与推荐”部分的"
            "产值数据口径（按其直接负责的产品线计算）。"
        ),
    ),
    Candidate(
        name="黄德明",
        employer="employer3",
        theme="ic",
        born=datetime.date(1968, 11, 20),
        id_number=resident_id("441581", datetime.date(1968, 11, 20), 13),
        role="封装产线经理",
        field="功率器件封装产线管理",
        education="本科，华南理工大学（1990年）",
        achievements="负责公司封装产线扩产，月产能由30万只提升至80万只。",
        missed=(TITLE,),
        explanation="未取得相关专业技术职称。",
        need="公司扩建第二条封装产线，需要有经验的产线管理人员。",
        revenue="52000000",
        tax="2400000",
        influence="无行业标准或奖项。",
        recommenders="深圳坪山华芯功率器件有限公司总经理 蔡伟",
        outcome="declined",
        days=(30, 22),
        pre_review="申报岗位为生产线日常管理岗位，所述贡献主要为产线管理经验，未体现本行业急需紧缺的关键技术能力，不予推荐。",
    ),
    Candidate(
        name="汉斯·韦伯",
        name_en="Dr. Hans Weber",
        employer="employer2",
        theme="biomed",
        born=datetime.date(1961, 4, 17),
        id_kind=IdKind.PASSPORT,
        id_number="C4J7XK2M9",
        role="首席科学家（抗体偶联药物工艺）",
        field="抗体偶联药物（ADC）偶联工艺与放大",
        education="PhD in Biochemistry, University of Heidelberg (1990)",
        titles="Former Head of Conjugation Process Development at a European pharmaceutical company",
        achievements=(
            "Led the conjugation process scale-up of two ADCs now on the EU market; 30 years in process development."
        ),
        missed=(AGE,),
        explanation="现年65周岁，超过认定年龄上限。",
        need="公司首个ADC品种进入III期临床，商业化规模偶联工艺的放大与验证须由其主持。",
        revenue="0",
        patents="PCT patents on site-specific conjugation (3)",
        influence="Author of 40 papers; member of an international expert group on ADC manufacturing.",
        recommenders="深圳坪山生命科学创新研究院院长 林海；Prof. Anna Schmidt, University of Heidelberg",
        outcome="panel_scoring",
        days=(40, 25),
        pre_review="抗体偶联药物为坪山生物医药重点发展方向，候选人经验稀缺，同意推荐至专家评审。",
    ),
    Candidate(
        name="吴桂兰",
        employer="employer2",
        theme="biomed",
        born=datetime.date(1965, 6, 2),
        id_number=resident_id("420106", datetime.date(1965, 6, 2), 24),
        role="细胞培养工艺高级主管",
        field="抗体药物大规模细胞培养工艺",
        education="中专，武汉市医药学校（1984年）",
        achievements="主持2000升一次性生物反应器培养工艺开发，表达量提高60%，支撑两个单抗品种上市。",
        missed=(AGE, DEGREE),
        explanation="现年61周岁，超过认定年龄上限；最高学历为中专。",
        need="公司新建5000升商业化产线，培养工艺转移和放大须由其负责。",
        revenue="420000000",
        tax="21000000",
        patents="发明专利6项",
        awards="广东省科技进步奖二等奖（2022年）",
        influence="参与起草单克隆抗体细胞培养工艺团体标准2项。",
        recommenders="深圳市坪山生物医药产业促进会会长 何建；深圳坪山生物医药中试与检测公共服务平台主任 罗敏",
        outcome="panel_done",
        days=(50, 36),
    ),
    Candidate(
        name="郑伟",
        employer="employer3",
        theme="ic",
        born=datetime.date(1982, 9, 9),
        id_number=resident_id("510107", datetime.date(1982, 9, 9), 75),
        role="碳化硅外延工艺总监",
        field="6英寸碳化硅外延生长工艺",
        education="大专，成都某职业技术学院（2003年）",
        achievements="主导6英寸碳化硅外延片量产，缺陷密度降至0.5个/平方厘米以下，打破进口依赖。",
        missed=(DEGREE,),
        explanation="最高学历为大专。",
        need="公司8英寸碳化硅外延线建设在即，工艺开发无人可替代。",
        revenue="310000000",
        tax="15500000",
        patents="发明专利9项",
        awards="中国电子学会科技进步奖一等奖（2024年）",
        influence="第三代半导体产业技术创新战略联盟专家委员。",
        recommenders="深圳坪山第三代半导体研究院院长 叶青；深圳市坪山集成电路产业联盟秘书长 杜明",
        outcome="agenda",
        days=(60, 45, 14),
        conclusion="候选人在碳化硅外延工艺领域贡献突出、不可替代性强，专家组建议认定。",
        conclusion_en=(
            "The candidate's contribution to SiC epitaxy is outstanding "
            "and hard to replace: the panel recommends recognition."
        ),
    ),
    Candidate(
        name="马建华",
        employer="employer1",
        theme="nev",
        born=datetime.date(1963, 1, 25),
        id_number=resident_id("370202", datetime.date(1963, 1, 25), 39),
        role="电驱系统总工程师",
        field="电驱动总成集成与NVH",
        education="本科，山东工业大学（1985年）",
        achievements="主持三代电驱动总成研发，累计配套超过120万台，整机效率达到97%。",
        missed=(AGE, TITLE),
        explanation="现年63周岁，超过认定年龄上限；在企业长期任职未参加职称评定。",
        need="公司“三合一”电驱动总成平台的系统集成和NVH优化须由其主持。",
        revenue="880000000",
        tax="42000000",
        patents="发明专利15项",
        awards="中国汽车工业科学技术奖一等奖（2021年）",
        influence="参与起草电驱动总成国家标准1项、行业标准2项。",
        recommenders="深圳坪山智能网联汽车研究院主任 曹志刚；坪山新能源汽车产业协会秘书长 冯立",
        outcome="approved",
        days=(100, 88, 60, 30, 23, 8),
        conclusion="候选人社会经济效益和行业影响力显著，专家组一致建议认定。",
        conclusion_en=(
            "The candidate's social-economic benefit and industry influence "
            "are significant: the panel unanimously recommends recognition."
        ),
        recused=("member_nev",),
        votes=("yes", "yes", "yes", "yes"),
        filing_number="深人社特备〔2026〕0137号",
        quota_reference="坪人才指标〔2026〕12号",
        decision="经区人才工作会议集体商议、公示无异议并报市人力资源部门备案，同意认定为坪山区特殊人才。",
    ),
    Candidate(
        name="孙立新",
        employer="employer3",
        theme="ic",
        born=datetime.date(1966, 12, 30),
        id_number=resident_id("360102", datetime.date(1966, 12, 30), 51),
        role="设备维护部经理",
        field="半导体封装设备维护",
        education="大专，南昌某职业技术学院（1988年）",
        achievements="负责公司封装设备维护体系建设，设备综合效率提升15%。",
        missed=(DEGREE, TITLE),
        explanation="最高学历为大专，未取得职称。",
        need="公司设备国产化替代需要有经验的维护负责人。",
        revenue="38000000",
        tax="1900000",
        influence="公司内部培训讲师。",
        recommenders="深圳坪山华芯功率器件有限公司总经理 蔡伟",
        outcome="rejected",
        days=(95, 85, 58, 30),
        votes=("yes", "no", "no", "abstain", "no"),
    ),
    Candidate(
        name="陈志远",
        employer="employer1",
        theme="nev",
        born=datetime.date(1967, 5, 14),
        id_number=resident_id("440307", datetime.date(1967, 5, 14), 17),
        role="车身电子首席专家",
        field="整车域控制器功能安全",
        education="本科，华中理工大学（1989年）",
        achievements="主持域控制器功能安全体系建设，产品通过ASIL-D认证，配套两款量产车型。",
        missed=(AGE,),
        explanation="现年59周岁，超过认定年龄上限。",
        need="公司中央计算平台研发的功能安全体系须由其负责。",
        revenue="260000000",
        tax="12800000",
        patents="发明专利7项",
        influence="全国汽车标准化技术委员会功能安全工作组成员。",
        recommenders="深圳坪山智能网联汽车研究院主任 曹志刚",
        outcome="filing",
        days=(98, 86, 62, 30, 22),
    ),
    Candidate(
        name="莎拉·米切尔",
        name_en="Dr. Sarah Mitchell",
        employer="employer2",
        theme="biomed",
        born=datetime.date(1962, 10, 8),
        id_kind=IdKind.PASSPORT,
        id_number="548213697",
        role="Head of Quality (biologics)",
        field="生物药质量体系与国际注册",
        education="PhD in Pharmaceutical Sciences, University of Manchester (1989)",
        titles="Qualified Person (EU)",
        achievements="Built the quality systems behind four biologics approved in the EU and the US.",
        missed=(AGE, OTHER),
        explanation="现年64周岁，超过认定年龄上限；外籍人员，无国内职称评定。",
        need="公司两个单抗品种同时申报中美欧上市，国际注册质量体系须由其负责。",
        revenue="150000000",
        tax="7000000",
        influence="Former member of an industry working group on biologics manufacturing quality.",
        recommenders="深圳市睿坪临床研究服务有限公司总经理 高岚；Prof. David Green, University of Manchester",
        outcome="objection",
        days=(70, 58, 35, 3),
        conclusion="候选人国际注册经验突出，专家组建议认定。",
        conclusion_en=(
            "The candidate's international regulatory experience is outstanding: the panel recommends recognition."
        ),
        votes=("yes", "yes", "yes", "yes", "abstain"),
        objection={
            "name": "张先生",
            "phone": "0755-2899 0000",
            "email": "",
            "grounds": "申报材料所列两个品种的上市申请，其质量负责人另有其人，请核实候选人的实际贡献。",
        },
        investigation="已函请用人单位提供候选人在两个品种中的职责证明，并向原任职企业核实，待回复。",
    ),
)

MEETINGS = (
    Meeting(
        title="2026年第三次坪山区人才工作会议",
        title_en="Third Pingshan talent work meeting of 2026",
        days_ago=30,
        agenda=("马建华", "孙立新", "陈志远"),
        minutes=(
            "会议应到5人，实到5人，符合法定人数。会议审议特殊人才认定申请3件：马建华（成员驰远新能源代表回避）、"
            "陈志远通过，进入公示；孙立新未获通过。"
        ),
    ),
    Meeting(
        title="2026年第四次坪山区人才工作会议",
        title_en="Fourth Pingshan talent work meeting of 2026",
        days_ago=3,
        agenda=("莎拉·米切尔",),
        minutes="会议应到5人，实到5人。审议特殊人才认定申请1件：莎拉·米切尔（Dr. Sarah Mitchell）通过，进入公示。",
    ),
    Meeting(
        title="2026年第五次坪山区人才工作会议",
        title_en="Fifth Pingshan talent work meeting of 2026",
        days_ago=-6,
        agenda=("郑伟",),
    ),
)
