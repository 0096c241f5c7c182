"""Demo of the resource libraries: more than twenty entries in each library (projects of overseas teams, needs of
Pingshan firms, patents for transfer or licence), in Chinese, English or both, submitted by the demo firms and teams
and curated by ``talent_officer`` through the services; a few wait for approval or were returned; the demo experts
get expertise and themes for matching; one introduction from matching waits for both sides.

Idempotent: an entry is made once per title.
"""

from portal.experts.models import Expert
from themes.models import Theme

from .models import LIBRARIES, Introduction, IntroductionSource, Programme
from .services import introductions, libraries

# A subject of each library: Chinese, English, theme, keywords. The same subjects in the three libraries make
# matching pairs (a firm's need, a team's project and a patent about one technology).
SUBJECTS = (
    ("CAR-T细胞治疗慢病毒载体GMP生产", "GMP lentiviral vectors for CAR-T cell therapy", "biomed", "CAR-T, 慢病毒, GMP"),
    ("ADC抗体偶联药物", "ADC antibody drug conjugates targeting HER2", "biomed", "ADC, HER2, 抗体"),
    ("AI医学影像肺结节检测", "AI medical imaging for lung nodule detection", "biomed", "AI, 影像, CT"),
    ("mRNA疫苗脂质纳米颗粒递送", "Lipid nanoparticle delivery for mRNA vaccines", "biomed", "mRNA, LNP"),
    ("单细胞蛋白测序", "Single-cell protein sequencing", "biomed", "proteomics, 单细胞"),
    ("固态电池热管理", "Thermal management of solid-state batteries", "nev", "battery, 固态电池"),
    ("电动汽车无线充电", "Wireless charging for electric vehicles", "nev", "charging, 无线充电"),
    ("动力电池回收梯次利用", "Recycling and second-life use of traction batteries", "nev", "recycling, 回收"),
    ("车规级芯片封装测试", "Automotive-grade chip packaging and testing", "ic", "chiplet, 封装"),
    ("碳化硅功率器件", "Silicon carbide power devices", "ic", "SiC, 功率器件"),
    ("RISC-V处理器IP核", "RISC-V processor IP cores", "ic", "RISC-V, IP核"),
    ("MEMS传感器晶圆级封装", "Wafer-level packaging of MEMS sensors", "ic", "MEMS, wafer"),
    ("工业互联网边缘计算网关", "Edge computing gateways for the industrial internet", "ngit", "edge, 网关"),
    ("大模型私有化部署", "Private deployment of large language models", "ngit", "LLM, 大模型"),
    ("石墨烯导热膜", "Graphene thermal films", "materials", "graphene, 导热"),
    ("可降解医用高分子材料", "Biodegradable medical polymers", "materials", "polymer, 可降解"),
    ("协作机器人视觉引导装配", "Vision-guided assembly with collaborative robots", "smart_mfg", "robot, 视觉"),
    ("数字孪生产线仿真", "Digital-twin simulation of production lines", "smart_mfg", "digital twin, 仿真"),
    ("氢燃料电池膜电极", "Membrane electrode assemblies for hydrogen fuel cells", "clean_energy", "hydrogen, 膜电极"),
    ("钙钛矿光伏组件", "Perovskite photovoltaic modules", "clean_energy", "perovskite, 光伏"),
    ("储能系统电池管理", "Battery management for energy storage systems", "clean_energy", "BMS, 储能"),
    ("微流控体外诊断芯片", "Microfluidic in-vitro diagnostic chips", "biomed", "microfluidic, IVD"),
    ("激光雷达点云感知", "Lidar point-cloud perception for autonomous driving", "nev", "lidar, 自动驾驶"),
    ("光刻胶国产化", "Domestic photoresists for chip making", "materials", "photoresist, 光刻胶"),
)
PROJECT_TEAMS = ("overseas1", "team_lopez", "team_muller", "team_kim", "team_patel")
FIRMS = ("firm1", "firm2")
# Two entries of each library wait for approval and one was returned; the other 21 are published.
WAITING, RETURNED = (6, 17), (10,)


def _text(library, zh, en):
    """Title and summary of ``library``'s entry about a subject; some entries are written in one language only."""
    if library == "projects":
        return (
            f"{zh}项目",
            f"{en}",
            f"海外团队在{zh}方面拥有核心技术，寻求在坪山落地与产业合作。",
            f"An overseas team with core technology in {en.lower()}, looking to land in Pingshan and find partners.",
        )
    if library == "demands":
        return (
            f"需要{zh}技术合作",
            f"Wanted: {en.lower()}",
            f"坪山企业寻求{zh}方面的技术合作或解决方案，可联合研发或购买技术。",
            "",
        )
    return (
        f"一种{zh}方法",
        "",
        f"涉及{zh}的发明专利，可转让或许可，已完成小试验证。",
        f"An invention patent on {en.lower()}, offered for transfer or licence.",
    )


OWN_FIELDS = {
    "projects": lambda n: {
        "stage": ("prototype", "pilot", "product")[n % 3],
        "seeking": ("landing", "partners", "financing")[n % 3],
        "country": ("Japan", "Germany", "Singapore", "USA")[n % 4],
    },
    "demands": lambda n: {"demand_kind": ("research", "technology", "testing", "talent")[n % 4]},
    "patents": lambda n: {
        "patent_kind": ("invention", "utility")[n % 2],
        "licensing": ("transfer", "licence", "either")[n % 3],
        "patent_number": f"ZL2023{10000000 + n}.{n % 10}",
    },
}


def _submitters(library, users):
    names = FIRMS if library == "demands" else PROJECT_TEAMS
    return [users[name] for name in names if name in users]


def seed_libraries(log):
    from django.contrib.auth import get_user_model

    programme = Programme.objects.filter(slug="offshore-base").first()
    officer = get_user_model().objects.filter(username="talent_officer").first()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=PROJECT_TEAMS + FIRMS)}
    if programme is None or officer is None or not users:
        return
    themes = Theme.objects.in_bulk(field_name="code")
    made = 0
    for library, model in LIBRARIES.items():
        submitters = _submitters(library, users)
        if not submitters:
            continue
        for number, (zh, en, theme, keywords) in enumerate(SUBJECTS):
            title, title_en, summary, summary_en = _text(library, zh, en)
            if model.objects.filter(programme=programme, title=title).exists():
                continue
            submitter = submitters[number % len(submitters)]
            values = {
                "programme": programme,
                "title": title,
                "title_en": title_en,
                "summary": summary,
                "summary_en": summary_en,
                "keywords": keywords,
                "themes": [themes[theme]] if theme in themes else [],
                "holder_name": submitter.display_name,
                "contact_name": submitter.display_name,
                "contact_email": submitter.email or f"{submitter.username}@example.cn",
                **OWN_FIELDS[library](number),
            }
            entry = libraries.submit_listing(actor=submitter, library=library, values=values)
            if number in RETURNED:
                libraries.send_back(actor=officer, listing=entry, reason="请补充英文摘要和联系方式。")
            elif number not in WAITING:
                libraries.curate(actor=officer, listing=entry, transition="publish")
            made += 1
    _experts(themes)
    _introduction(programme, officer)
    log(f"talent: {made} library entries made, {sum(m.objects.count() for m in LIBRARIES.values())} in all")


def _experts(themes):
    """The demo experts' public profile, for the expert pool and matching (only where it is still empty)."""
    profiles = {
        "evaluator1": ("慢病毒载体工艺、CAR-T细胞治疗与GMP质量体系", "biomed"),
        "evaluator2": ("固态电池、动力电池回收与储能系统电池管理", "nev"),
        "evaluator5": ("Chiplet packaging, silicon carbide power devices and MEMS sensors", "ic"),
    }
    for expert in Expert.objects.filter(user__username__in=profiles, expertise=""):
        expertise, theme = profiles[expert.user.username]
        expert.expertise = expertise
        expert.save(update_fields=["expertise", "updated_at"])
        if theme in themes:
            expert.themes.add(themes[theme])


def _introduction(programme, officer):
    """One introduction from matching: the CAR-T vector need and the team's vector project, waiting for both."""
    demand = LIBRARIES["demands"].objects.published().filter(title__startswith="需要CAR-T").first()
    project = LIBRARIES["projects"].objects.published().filter(title__startswith="CAR-T").first()
    if demand is None or project is None or Introduction.objects.filter(programme=programme).exists():
        return
    introductions.introduce(
        actor=officer,
        programme=programme,
        left=demand,
        left_person=demand.submitted_by,
        right=project,
        right_person=project.submitted_by,
        note="双方在CAR-T慢病毒载体GMP生产方面高度契合，建议对接。",
        source=IntroductionSource.MATCHING,
        explanation={"shared_terms": ["car", "慢病毒", "gmp"], "shared_themes": ["biomed"]},
    )
