"""Demo content for seed_demo, written fresh from the facts in shared/seeds (not copied)."""

# Theme codes available (use only these): "nev" 新能源汽车, "biomed" 生物医药, "ic" 集成电路,
# "ngit" 新一代信息技术, "materials" 新材料, "smart_mfg" 智能制造, "clean_energy" 清洁能源

NEWS = [
    # ------------------------------------------------------------------
    # 1. Biomedicine council launch
    # ------------------------------------------------------------------
    {
        "slug": "biomed-council-launch",
        "date": "2026-03-18",
        "themes": ["biomed"],
        "featured": False,
        "zh": {
            "title": "坪山区生物医药产业共治委员会正式成立",
            "summary": "3月18日，坪山区生物医药产业共治委员会在坑梓街道召开成立大会，首批47家成员单位中业界代表占比93.6%，秘书处挂靠区科技创新局，同步设立五个专业委员会。",
            "body": [
                ("paragraph", "3月18日上午，坪山区生物医药产业共治委员会成立大会在坑梓街道生物医药产业加速器举行。区科技创新局作为牵头单位，会同区投资推广服务署、市市场监督管理局坪山监管局等部门，与来自创新药、高端医疗器械、细胞与基因治疗等领域的企业、科研院所、金融机构和专业服务机构代表共120余人出席。会议审议通过了委员会章程，选举产生首届理事会。"),
                ("heading", "业界代表占比超过九成"),
                ("paragraph", "据介绍，产业共治委员会为非法人组织，首批47家成员单位中，企业、行业协会、科研院所、金融机构和公共服务平台等业界代表共44家，占比93.6%，高于“业界代表占比不低于90%”的组建要求。理事会秘书处作为执行机构挂靠区科技创新局，负责日常联络、议题征集和会议组织等工作。"),
                ("heading", "五个专业委员会同步运作"),
                ("paragraph", "委员会下设国际推广、战略规划、产业促进、营商环境、产业风险防控五个专业委员会，非成员单位可按程序申请加入相应专业委员会参与研究。今后，委员会将参与产业规划编制、政策制定、项目论证评估、生态营造和品牌推广等工作，并对重大孵化载体招商引资项目出具专业评价意见。"),
                ("quote", "“过去是企业等政策，现在是业界一起研究政策、拿出方案。产业共治委员会要成为政府和企业之间的专业桥梁。”区科技创新局相关负责人在会上表示。"),
                ("paragraph", "成立大会结束后，首届理事会随即召开第一次会议，确定了2026年度8项重点议题，包括中试平台共享机制、临床资源对接、创新产品首发应用和跨境研发物品通关便利等，相关议题已分别交由各专业委员会牵头研究，计划于年内形成研究报告。"),
            ],
        },
        "en": {
            "title": "Pingshan Biomedicine Industry Co-governance Council formally established",
            "summary": "On 18 March the Pingshan Biomedicine Industry Co-governance Council held its founding meeting in Kengzi Subdistrict. Industry representatives make up 93.6% of its first 47 member organizations; the secretariat sits with the District Science, Technology and Innovation Bureau, and five specialist committees start work at the same time.",
            "body": [
                ("paragraph", "On the morning of 18 March, the founding meeting of the Pingshan Biomedicine Industry Co-governance Council was held at the biomedicine industry accelerator in Kengzi Subdistrict. The District Science, Technology and Innovation Bureau, as lead agency, was joined by the District Investment Promotion Agency, the Pingshan Branch of the Shenzhen Administration for Market Regulation and more than 120 representatives of companies, research institutes, financial institutions and professional service firms working in innovative drugs, high-end medical devices and cell and gene therapy. The meeting adopted the council's charter and elected its first board."),
                ("heading", "More than 90% industry representatives"),
                ("paragraph", "The council is an unincorporated body. Of its first 47 member organizations, 44 (93.6%) are industry representatives such as companies, industry associations, research institutes, financial institutions and public service platforms, above the required minimum of 90%. The board secretariat, which acts as the executive body, is attached to the District Science, Technology and Innovation Bureau and handles day-to-day liaison, agenda collection and meeting organization."),
                ("heading", "Five specialist committees"),
                ("paragraph", "The council has five specialist committees: International Promotion, Strategic Planning, Industry Promotion, Business Environment, and Industry Risk Prevention and Control. Organizations that are not members may apply to join a committee. The council will take part in industrial planning, policy making, project appraisal, ecosystem building and branding, and will give professional evaluation opinions on major investment projects brought in by incubators."),
                ("quote", "'In the past companies waited for policies; now the industry studies policy together and puts forward proposals. The co-governance council should be a professional bridge between government and business,' said an official of the District Science, Technology and Innovation Bureau."),
                ("paragraph", "Immediately after the founding meeting, the first board met and set eight priority topics for 2026, including shared pilot-scale production platforms, access to clinical resources, first-use programmes for innovative products and faster customs clearance for cross-border R&D materials. Each topic has been assigned to a specialist committee, with research reports due within the year."),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 2. NEV council launch
    # ------------------------------------------------------------------
    {
        "slug": "nev-council-launch",
        "date": "2026-03-26",
        "themes": ["nev"],
        "featured": False,
        "zh": {
            "title": "新能源汽车产业共治委员会成立 聚焦整车与零部件协同发展",
            "summary": "3月26日，由区发展和改革局牵头的坪山区新能源汽车产业共治委员会召开成立大会，52家成员单位覆盖整车、动力电池、电驱电控、充换电和检测认证等环节。",
            "body": [
                ("paragraph", "3月26日，坪山区新能源汽车产业共治委员会成立大会在坪山高新区综合服务中心召开。委员会由区发展和改革局牵头组建，首批52家成员单位覆盖整车制造、动力电池、电驱电控、汽车电子、充换电运营和检测认证等环节，其中业界代表48家，占比92.3%。理事会秘书处挂靠区发展和改革局。"),
                ("heading", "首年聚焦三项重点议题"),
                ("paragraph", "首届理事会确定了年度三项重点议题：一是推动车规级芯片、功率器件等关键零部件本地配套，与集成电路领域开展跨产业协作；二是围绕公共充换电设施布局提出优化建议；三是研究动力电池梯次利用和回收体系建设。各议题分别由产业促进、战略规划和产业风险防控专业委员会牵头。"),
                ("paragraph", "会上，产业风险防控专业委员会发布了首份《坪山新能源汽车供应链风险关注清单》，梳理出芯片、电池正极材料、高压连接器等12类需重点关注的零部件，并建议建立季度会商机制，由成员企业按季度报送供需变化情况。"),
                ("quote", "“产业链上的问题，企业最先感知。共治委员会把整车厂、零部件企业和服务机构拉到一张桌子上，政策制定就能更贴近产业实际。”区发展和改革局相关负责人表示。"),
                ("paragraph", "据了解，坪山是国家级新能源（汽车）产业基地所在地，聚集了整车及关键零部件企业百余家。共治委员会成立后，将定期组织产业沙龙和企业走访，并承担新能源汽车领域有关扶持政策的前期研究与评议工作。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 3. IC council launch
    # ------------------------------------------------------------------
    {
        "slug": "ic-council-launch",
        "date": "2026-04-09",
        "themes": ["ic"],
        "featured": False,
        "zh": {
            "title": "坪山区集成电路产业共治委员会揭牌运行",
            "summary": "4月9日，坪山区集成电路产业共治委员会揭牌，秘书处挂靠区工业和信息化局。至此，新能源汽车、生物医药、集成电路三个产业共治委员会全部组建完成，成员单位合计137家。",
            "body": [
                ("paragraph", "4月9日，坪山区集成电路产业共治委员会在坪山高新区揭牌运行。委员会由区工业和信息化局牵头，首批38家成员单位涵盖芯片设计、功率半导体、第三代半导体材料、封装测试、设备零部件及设计自动化软件等领域，其中业界代表35家，占比92.1%。"),
                ("heading", "三个委员会全部组建完成"),
                ("paragraph", "随着集成电路产业共治委员会揭牌，坪山区围绕新能源汽车、生物医药、集成电路三大主导产业组建的三个产业共治委员会已全部投入运行，成员单位合计137家。三个委员会均按照“业界代表占比不低于90%”的原则组建，秘书处分别挂靠区发展和改革局、区科技创新局和区工业和信息化局。"),
                ("paragraph", "集成电路产业共治委员会同样下设国际推广、战略规划、产业促进、营商环境、产业风险防控五个专业委员会。首批议题包括公共测试平台共建共享、车规级芯片认证支持、集成电路人才实训基地建设等，将于6月底前形成初步方案提交区工业和信息化局。"),
                ("quote", "“集成电路产业链条长、专业性强，必须依靠业界的专业判断。我们希望委员会在政策制定和项目评估中真正发挥作用。”区工业和信息化局相关负责人说。"),
                ("paragraph", "揭牌仪式后，委员会组织成员单位参观了正在建设中的集成电路公共测试服务平台，并就平台收费标准、机时分配方式等问题开展了首次讨论，收集意见建议17条。秘书处表示，相关意见将在平台运营规则制定过程中统筹考虑，并通过本门户向成员单位反馈。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 4. Biomed council policy review
    # ------------------------------------------------------------------
    {
        "slug": "biomed-council-policy-review",
        "date": "2026-05-21",
        "themes": ["biomed"],
        "featured": False,
        "zh": {
            "title": "生物医药产业共治委员会开展政策评议 为新政“把脉”",
            "summary": "5月21日，生物医药产业共治委员会产业促进、营商环境两个专业委员会召开联席会议，对《坪山区促进生物医药产业集聚发展若干措施（征求意见稿）》开展政策评议，收集意见61条。",
            "body": [
                ("paragraph", "5月21日下午，坪山区生物医药产业共治委员会产业促进专业委员会和营商环境专业委员会在坑梓街道召开联席会议，对区科技创新局起草的《坪山区促进生物医药产业集聚发展若干措施（征求意见稿）》开展政策评议。23家企业、4家科研院所和3家专业服务机构的代表参加会议。"),
                ("heading", "逐条评议 提出61条意见"),
                ("paragraph", "与会代表围绕征求意见稿的21条措施逐条讨论，共提出意见建议61条。其中，关于临床试验资助门槛、中试平台使用补贴、创新医疗器械首次应用支持的意见较为集中，有代表建议将临床前研究阶段的委托研发服务纳入支持范围，并缩短资金拨付周期。"),
                ("paragraph", "一家从事抗体药物研发的企业代表提出，企业在完成临床Ⅰ期或Ⅱ期研究后往往面临资金缺口，建议政策与正在筹建的生物医药科技产业创新基金衔接，形成“研发资助+股权投资”的组合支持。另有律师事务所代表建议增加知识产权质押融资风险补偿条款。"),
                ("quote", "“政策出台前先让业界评一评，把问题想在前面，出台后才好落地。”区科技创新局相关负责人表示，对全部意见将逐条研究，并在30个工作日内书面反馈采纳情况。"),
                ("paragraph", "据悉，这是坪山区产业共治委员会首次以专业委员会联席会议形式开展政策评议。评议意见汇总后，将由委员会秘书处形成评议报告，作为政策修改的重要参考，采纳情况将按规定向社会公开。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 5. Council opinions published (政务公开)
    # ------------------------------------------------------------------
    {
        "slug": "council-opinions-published",
        "date": "2026-07-02",
        "themes": ["biomed", "nev"],
        "featured": False,
        "zh": {
            "title": "产业共治委员会评议意见及采纳情况首次向社会公开",
            "summary": "坪山区在本门户开设“共治意见公开”栏目，首批公开生物医药、新能源汽车两个产业共治委员会的政策评议报告及部门采纳反馈，61条意见中52条被全部或部分采纳。",
            "body": [
                ("paragraph", "7月2日，坪山产业共治与创新基金门户开设“共治意见公开”栏目，首批公开了生物医药产业共治委员会对《坪山区促进生物医药产业集聚发展若干措施（征求意见稿）》的评议报告，以及新能源汽车产业共治委员会关于公共充换电设施布局的专题建议，同时公开牵头部门的逐条采纳反馈。"),
                ("heading", "逐条说明采纳与否"),
                ("paragraph", "从公开内容看，生物医药领域61条评议意见中，全部采纳38条、部分采纳14条、暂未采纳9条。对暂未采纳的意见，区科技创新局逐条说明了理由，如部分事项属市级事权、部分建议已在其他政策中体现等。修改后的措施将临床前委托研发服务纳入支持范围，资金拨付时限由90个工作日缩短至60个工作日。"),
                ("paragraph", "新能源汽车产业共治委员会提出的9条充换电设施布局建议，区发展和改革局已采纳7条，并会同相关部门在坑梓、龙田两个街道新增公共充电点位规划。另有2条涉及电网接入的建议，已转交供电部门研究办理，办理结果将另行公开。"),
                ("quote", "“把业界意见和部门答复同时晒出来，是政务公开的应有之义，也是对产业共治委员会成员单位最好的回应。”区政务公开工作相关负责人表示。"),
                ("paragraph", "根据工作安排，今后三个产业共治委员会形成的政策评议报告、专题研究报告和项目评价意见摘要，除涉及商业秘密的内容外，原则上在形成后20个工作日内在本门户公开，接受企业和公众监督。"),
            ],
        },
        "en": {
            "title": "Co-governance council opinions and government responses published for the first time",
            "summary": "Pingshan has opened a 'Co-governance Opinions' column on this portal. The first release covers policy reviews by the biomedicine and new energy vehicle councils and the responses of the lead bureaus; 52 of 61 biomedicine suggestions were adopted in full or in part.",
            "body": [
                ("paragraph", "On 2 July, the Pingshan industry co-governance and innovation fund portal opened a 'Co-governance Opinions' column. The first release contains the Biomedicine Industry Co-governance Council's review of the draft Measures to Promote the Clustered Development of the Biomedicine Industry in Pingshan, the New Energy Vehicle Industry Co-governance Council's recommendations on public charging and battery-swap facilities, and item-by-item responses from the lead bureaus."),
                ("heading", "Every suggestion answered"),
                ("paragraph", "Of the 61 biomedicine suggestions, 38 were adopted in full, 14 in part and 9 not yet adopted. For each suggestion not adopted, the District Science, Technology and Innovation Bureau gave its reasons, for example that the matter falls under city-level authority or is already covered by another policy. The revised measures now cover contracted pre-clinical R&D services and cut the payment deadline from 90 to 60 working days."),
                ("paragraph", "Of the nine recommendations on charging and battery-swap facilities made by the new energy vehicle council, the District Development and Reform Bureau has adopted seven and, together with other departments, has planned new public charging points in Kengzi and Longtian subdistricts. The other two, which concern grid connection, have been referred to the power supply authority, and the outcome will be published separately."),
                ("quote", "'Publishing industry opinions side by side with government responses is what open government requires, and it is the best answer we can give to the members of the co-governance councils,' said an official responsible for government information disclosure in the district."),
                ("paragraph", "From now on, summaries of the policy reviews, research reports and project evaluation opinions produced by the three co-governance councils will in principle be published on this portal within 20 working days, except for content involving trade secrets."),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 6. Biomed fund set up
    # ------------------------------------------------------------------
    {
        "slug": "biomed-innovation-fund-established",
        "date": "2026-06-16",
        "themes": ["biomed"],
        "featured": False,
        "zh": {
            "title": "坪山生物医药科技产业创新基金设立 首期规模15亿元",
            "summary": "坪山区生物医药科技产业创新基金完成设立，由市创新投集团牵头，目标规模30亿至50亿元、分期募集，首期15亿元，其中区级财政出资4.5亿元，撬动社会资本10.5亿元。",
            "body": [
                ("paragraph", "6月16日，坪山区生物医药科技产业创新基金设立签约仪式在坪山区举行。基金由市创新投集团牵头发起，目标规模30亿至50亿元，采取分期募集方式，首期规模15亿元。其中区级财政出资4.5亿元，其余10.5亿元由国有资本、市场化投资机构和产业资本共同认缴。"),
                ("heading", "重点投向长周期创新项目"),
                ("paragraph", "基金存续期10年，重点投资创新药、高端医疗器械、细胞与基因治疗、合成生物和医药研发外包服务等领域，尤其关注已完成临床前研究、正在推进临床Ⅰ期或Ⅱ期的项目，着力解决生物医药企业研发周期长、中期融资难的问题。基金原则上不低于70%的资金投向坪山区注册或承诺迁入坪山的企业。"),
                ("paragraph", "基金由专业管理团队按市场化方式运作，自主作出投资决策。生物医药产业共治委员会将向基金推荐储备项目，并对重大项目出具专业评价意见。区科技创新局同步建立基金项目库，首批入库项目86个。"),
                ("quote", "“生物医药是典型的长跑型产业，需要耐心资本。设立这只基金，就是要用财政资金带动更多社会资本，长期陪跑企业成长。”区科技创新局相关负责人表示。"),
                ("paragraph", "据介绍，基金将与区内生物医药产业集聚发展政策形成合力，探索“研发资助+股权投资+知识产权质押融资”的组合支持方式，带动银行跟贷、保险跟保，为坪山建设生物医药科技产业城提供金融支撑。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 7. Biomed fund first deals (FEATURED)
    # ------------------------------------------------------------------
    {
        "slug": "biomed-fund-first-close",
        "date": "2026-10-28",
        "themes": ["biomed"],
        "featured": True,
        "zh": {
            "title": "生物医药创新基金完成首批投资 四个项目落地坪山",
            "summary": "坪山区生物医药科技产业创新基金完成首批4个项目投资决策，基金出资3.2亿元，带动社会资本跟投5.8亿元，覆盖细胞治疗、双特异性抗体、介入医疗器械和基因检测等方向。",
            "body": [
                ("paragraph", "10月28日，坪山区生物医药科技产业创新基金首批投资项目集中签约仪式在坑梓街道举行。基金设立四个多月来，已完成首批4个项目的投资决策，基金出资合计3.2亿元，带动社会资本跟投5.8亿元，首批项目融资总额达9亿元。"),
                ("heading", "首批项目覆盖四个细分方向"),
                ("paragraph", "首批项目中，深圳华屿细胞治疗技术有限公司获投1.1亿元，用于实体瘤细胞治疗产品的临床Ⅱ期研究；深圳市坑梓新元抗体药业有限公司获投0.9亿元，推进双特异性抗体药物临床研究；深圳锦康达医疗器械有限公司和深圳市坪山瑞和基因科技有限公司各获投0.6亿元，分别用于介入类器械产线建设和肿瘤早筛产品注册。"),
                ("paragraph", "4个项目中有2个来自生物医药产业共治委员会推荐的储备项目，共治委员会组织专家出具了专业评价意见。其中1家企业为本次投资从外地整体迁入坪山，预计新增研发和生产场地1.2万平方米，新增就业岗位约300个。"),
                ("quote", "“首批项目都处在从研发走向产业化的关键阶段。我们看重技术，也看重企业扎根坪山的意愿。”基金管理团队负责人在签约仪式上表示。"),
                ("heading", "第二批项目进入尽职调查"),
                ("paragraph", "据了解，基金第二批5个项目已进入尽职调查阶段，预计明年一季度完成投资决策。区科技创新局将按照基金绩效评价办法，对首批项目的投后进展开展跟踪评价，并在本门户公开年度评价摘要。"),
            ],
        },
        "en": {
            "title": "Biomedicine innovation fund completes first investments in four Pingshan projects",
            "summary": "The Pingshan Biomedicine Science and Technology Industry Innovation Fund has approved its first four investments, committing RMB 320 million and attracting RMB 580 million of co-investment, in cell therapy, bispecific antibodies, interventional devices and genetic testing.",
            "body": [
                ("paragraph", "On 28 October, a signing ceremony for the first investments of the Pingshan Biomedicine Science and Technology Industry Innovation Fund was held in Kengzi Subdistrict. Just over four months after its establishment, the fund has approved four projects, committing a total of RMB 320 million and bringing in RMB 580 million of co-investment from other investors, for total financing of RMB 900 million."),
                ("heading", "Four segments covered"),
                ("paragraph", "Shenzhen Huayu Cell Therapy Technology Co., Ltd. received RMB 110 million for a Phase II clinical study of a solid-tumour cell therapy; Shenzhen Kengzi Xinyuan Antibody Pharmaceutical Co., Ltd. received RMB 90 million to advance clinical research on a bispecific antibody; Shenzhen Jinkangda Medical Devices Co., Ltd. and Shenzhen Pingshan Ruihe Gene Technology Co., Ltd. each received RMB 60 million, for an interventional device production line and for registration of a cancer early-screening product respectively."),
                ("paragraph", "Two of the four projects came from the pipeline recommended by the Biomedicine Industry Co-governance Council, which organized experts to provide professional evaluation opinions. One company is relocating its entire operation to Pingshan as part of the deal, adding an expected 12,000 square metres of R&D and production space and about 300 jobs."),
                ("quote", "'All of the first projects are at the critical stage of moving from R&D to industrialization. We look at the technology, and we also look at a company's commitment to putting down roots in Pingshan,' said the head of the fund management team at the ceremony."),
                ("heading", "Second batch in due diligence"),
                ("paragraph", "A second batch of five projects is now in due diligence, with investment decisions expected in the first quarter of next year. Under the fund's performance evaluation measures, the District Science, Technology and Innovation Bureau will track the post-investment progress of the first projects and publish an annual evaluation summary on this portal."),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 8. Biomed fund performance evaluation
    # ------------------------------------------------------------------
    {
        "slug": "biomed-fund-performance-evaluation",
        "date": "2026-11-12",
        "themes": ["biomed"],
        "featured": False,
        "zh": {
            "title": "创新基金绩效评价办法出台 “管好两头、服务中心”",
            "summary": "《坪山区生物医药科技产业创新基金绩效评价办法（试行）》印发，设置4个维度18项指标，评价结果与下一年度出资规模和投向调整挂钩，并对早期项目实行容错安排。",
            "body": [
                ("paragraph", "11月12日，区科技创新局会同区财政局印发《坪山区生物医药科技产业创新基金绩效评价办法（试行）》，明确以“管好两头、服务中心”为原则，对创新基金实行全过程绩效管理。办法自印发之日起施行，试行期两年。"),
                ("heading", "前端定方向 后端看实效"),
                ("paragraph", "所谓“管好两头”，即在前端由政府部门做好基金投向、重点领域和让利政策等规划设计，在后端设置差异化、可操作的绩效指标，客观评价实施效果；“服务中心”，即政府部门不干预具体投资决策，而是通过项目库建设、项目推介和信息查询等方式为基金管理团队做好服务。"),
                ("paragraph", "办法从政策目标实现、投资运营、产业带动和风险控制4个维度设置18项指标，包括返投坪山比例、带动社会资本倍数、被投企业研发投入增长、新增临床批件和注册证数量等。考虑到生物医药项目周期长、风险高，对种子期和初创期项目不以单个项目盈亏作为主要评价依据，实行容错安排。"),
                ("quote", "“评价不是为了追责，而是为了让每一笔财政资金用得更准。评价结果将作为调整下一年度出资规模和投向的重要依据。”区科技创新局相关负责人表示。"),
                ("paragraph", "办法同时明确，年度绩效评价由第三方机构实施，生物医药产业共治委员会推荐行业专家参与，评价结果摘要在本门户公开。目前，基金项目库已累计入库项目126个，首批4个项目已完成投资决策。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 9. Offshore talent base opens
    # ------------------------------------------------------------------
    {
        "slug": "offshore-talent-base-opens",
        "date": "2026-04-22",
        "themes": ["ngit", "biomed"],
        "featured": False,
        "zh": {
            "title": "坪山海外人才离岸创新创业基地正式启用",
            "summary": "4月22日，坪山海外人才离岸创新创业基地在坪山高新区启用，建成信息平台、孵化基地、产业园区和战略伙伴网络四大板块，首批18个海外项目签约入驻。",
            "body": [
                ("paragraph", "4月22日，坪山海外人才离岸创新创业基地启用仪式在坪山高新区举行。基地由区人力资源局、区科技创新局共同指导建设，首期运营面积1.2万平方米，为暂不具备全职回国条件的海外人才提供“区内注册、海内外经营”的创业通道。当天，来自9个国家和地区的18个海外项目签约入驻。"),
                ("heading", "四大板块提供全链条服务"),
                ("paragraph", "基地由四大板块组成：一是线上信息平台，为海外团队提供政策、知识产权、技术和投资对接等前置咨询；二是孵化基地，为入驻项目提供注册、财税、法务等托管式服务；三是产业园区，为成长型项目提供中试和生产空间；四是战略伙伴网络，首批与12家海外孵化器、高校校友会和专业机构签订合作协议。"),
                ("paragraph", "基地重点面向电子信息、生物医药、新材料、智能制造和清洁能源等领域，鼓励海外人才以项目合作、技术指导、短期兼职、技术入股等方式柔性服务坪山。入驻企业可开展离岸研发和离岸服务贸易等业务。"),
                ("quote", "“离岸创新创业让海外人才不必先辞职、先回国，就能把项目在坪山落地。我们要做的是把服务送到前面，降低他们的顾虑。”区人力资源局相关负责人表示。"),
                ("paragraph", "按照计划，基地2026年内将举办不少于4场海外项目路演，力争引进海外创业团队30个以上，并逐步完善出入境、停居留和跨境资金结算等配套服务。基地运营方还将对入驻企业推行“一企一专员”服务，帮助海外团队对接坪山本地产业链资源。"),
            ],
        },
        "en": {
            "title": "Pingshan Offshore Innovation and Entrepreneurship Base for overseas talent opens",
            "summary": "On 22 April the Pingshan Offshore Innovation and Entrepreneurship Base opened in Pingshan High-tech Zone, with an information platform, an incubator, industrial space and a partner network. Eighteen overseas projects signed up on the first day.",
            "body": [
                ("paragraph", "On 22 April, an opening ceremony for the Pingshan Offshore Innovation and Entrepreneurship Base for overseas talent was held in Pingshan High-tech Zone. Built under the guidance of the District Human Resources Bureau and the District Science, Technology and Innovation Bureau, the base has 12,000 square metres of space in its first phase and lets overseas talent who cannot yet return full time register in the district while operating both in China and abroad. Eighteen overseas projects from nine countries and regions signed up on the day."),
                ("heading", "Four services, one chain"),
                ("paragraph", "The base has four parts: an online information platform offering advance advice on policy, intellectual property, technology and investment matching; an incubator providing managed services such as company registration, tax and legal support; industrial space for pilot production and manufacturing; and a partner network, starting with cooperation agreements with 12 overseas incubators, university alumni associations and professional organizations."),
                ("paragraph", "The base focuses on electronic information, biomedicine, new materials, smart manufacturing and clean energy. Overseas talent are encouraged to serve Pingshan flexibly through project cooperation, technical guidance, part-time roles or technology equity. Resident companies may carry out offshore R&D and offshore service trade."),
                ("quote", "'Offshore entrepreneurship means overseas talent do not have to quit their jobs and come home first before launching a project in Pingshan. Our job is to bring services forward and remove their worries,' said an official of the District Human Resources Bureau."),
                ("paragraph", "The base plans to hold at least four overseas project roadshows in 2026, aims to attract more than 30 overseas start-up teams, and will gradually add support for entry and exit, residence and cross-border settlement. The operator will also assign a dedicated liaison to each resident company to help overseas teams connect with local supply chains."),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 10. Offshore base roadshow
    # ------------------------------------------------------------------
    {
        "slug": "offshore-base-overseas-roadshow",
        "date": "2026-08-27",
        "themes": ["materials", "clean_energy"],
        "featured": False,
        "zh": {
            "title": "24支海外团队同台路演 9个项目获意向投资1.35亿元",
            "summary": "8月27日，坪山海外人才离岸创新创业基地举办年度海外项目路演，24支来自11个国家和地区的团队线上线下参赛，9个项目获得意向投资合计1.35亿元，5个项目确定在坪山注册。",
            "body": [
                ("paragraph", "8月27日，2026坪山海外人才离岸创新创业项目路演在坪山海外人才离岸创新创业基地举行。来自11个国家和地区的24支海外团队通过现场和视频连线方式参加路演，项目涉及新材料、清洁能源、智能制造、生物医药和新一代信息技术等领域。"),
                ("heading", "投资机构与产业专家联合评审"),
                ("paragraph", "路演评审团由8家投资机构代表和3个产业共治委员会推荐的6名行业专家组成，从技术先进性、团队构成、产业化路径和与坪山产业的契合度等方面进行评分。最终，固态电解质材料、钙钛矿光伏组件、氢燃料电池膜电极等9个项目获得意向投资，金额合计1.35亿元。"),
                ("paragraph", "路演结束后，基地为获奖团队安排了“一对一”落地服务，其中5个项目已确定在坪山注册企业，将先行入驻孵化基地开展离岸研发，待产品进入中试阶段后转入产业园区。据介绍，落地项目可按规定申请孵化场地租金减免和创业资助。"),
                ("quote", "“我们的团队一半在欧洲、一半在深圳，离岸基地的模式很适合我们先把中试线搭起来。”一支来自欧洲的新能源材料团队负责人在路演后说。"),
                ("paragraph", "据统计，基地启用4个月来，已累计接待海外项目咨询210余次，入驻海外项目达31个，提前完成年度引进目标。基地计划于12月在线上举办第二场专场路演，重点面向集成电路和智能制造领域。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 11. Offshore base visa / confirmation letter services
    # ------------------------------------------------------------------
    {
        "slug": "offshore-base-visa-service",
        "date": "2026-09-15",
        "themes": ["ngit", "biomed"],
        "featured": False,
        "zh": {
            "title": "离岸基地开设外籍人才服务专窗 R字签证办理更便利",
            "summary": "坪山海外人才离岸创新创业基地开设外籍人才服务专窗，为外籍高端人才提供《外国高端人才确认函》申请指导、工作许可和R字签证办理等一站式帮办服务。",
            "body": [
                ("paragraph", "9月15日，坪山海外人才离岸创新创业基地外籍人才服务专窗正式对外服务。专窗由区人力资源局联合相关部门设立，为在基地入驻企业及全区重点企业工作的外籍人才提供《外国高端人才确认函》申请指导、《外国人工作许可证》办理、R字签证及工作类居留许可等一站式帮办服务。"),
                ("heading", "材料一次告知 办理全程帮办"),
                ("paragraph", "按照现行规定，持R字签证入境并提交《外国高端人才确认函》、A类《外国人工作许可证》等材料的外籍高端人才，可申请有效期最长5年、可多次往返的工作类居留许可。专窗实行材料一次告知、线上预审和全程帮办，外籍人才来坪前即可完成大部分准备工作。"),
                ("paragraph", "专窗还依托离岸创新创业信息平台提供多语种政策咨询，内容涵盖企业注册、知识产权保护、人才住房、子女入学和社会保险等事项。试运行一个月来，专窗已为37名外籍专家提供帮办服务，其中12人已取得《外国高端人才确认函》。"),
                ("quote", "“外籍专家最关心的是手续能不能办、多久能办好。专窗把流程讲清楚、把材料理清楚，让他们把精力放在研发上。”区人力资源局相关负责人表示。"),
                ("paragraph", "下一步，专窗将与区内重点企业建立外籍人才需求对接机制，定期开展政策宣讲，并探索为柔性引进的海外专家提供短期来访的邀请函出具和行程协助服务。对确有需要的外籍人才，专窗还将协助提供人才住房申请指引。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 12. Special-talent recognition pilot
    # ------------------------------------------------------------------
    {
        "slug": "special-talent-recognition-pilot",
        "date": "2026-07-16",
        "themes": ["smart_mfg", "biomed"],
        "featured": False,
        "zh": {
            "title": "坪山启动产业特殊人才认定试点 破除“唯学历、唯职称”",
            "summary": "区人力资源局印发产业特殊人才认定试点工作方案，用人单位可为超龄、无职称但确有专长的紧缺人才提出申请，经专家评审和人才工作会议集体商议后认定，结果报市人力资源部门备案。",
            "body": [
                ("paragraph", "7月16日，区人力资源局印发《坪山区产业特殊人才认定试点工作方案》，面向区内行业龙头企业和高新技术企业，试点开展产业特殊人才认定。方案重点解决部分高技能人才、高水平管理人才因年龄、学历、职称或技能证书等条件限制，难以纳入现行人才政策的问题。"),
                ("heading", "四个环节完成认定"),
                ("paragraph", "根据方案，认定分为四个环节：用人单位向区级行业主管部门或区人力资源局提出申请；行业主管部门组织产业专家进行评审，重点考察申请人的实际贡献和产业影响力；区人才工作部门定期召开人才工作会议集体商议评定；通过认定的人员名单报市人力资源部门备案。"),
                ("paragraph", "试点首批共收到19家企业的31份申请，涉及精密模具、生物发酵工艺、动力电池工艺、芯片封装设备调试等岗位。经专家评审和集体商议，12人通过首批认定，其中年龄超过现行引进年龄上限的7人，无中级以上职称的9人。"),
                ("quote", "“人才的价值要看他在产业中发挥的作用，而不只是看证书。试点就是要让企业离不开的骨干留得住、干得好。”区人力资源局相关负责人表示。"),
                ("paragraph", "通过认定的特殊人才可按规定享受人才住房、子女入学、职称评审绿色通道等服务保障。区人力资源局表示，将在试点基础上总结经验，适时扩大试点企业范围，并向市级相关部门提出完善特殊人才引进政策的建议。"),
            ],
        },
        "en": {
            "title": "Pingshan pilots recognition of special industry talent beyond degrees and titles",
            "summary": "The District Human Resources Bureau has issued a pilot scheme under which employers can nominate indispensable talent who exceed age limits or lack formal titles. Candidates are reviewed by experts, decided collectively at a talent work meeting, and the results are filed with the city human resources authority.",
            "body": [
                ("paragraph", "On 16 July, the District Human Resources Bureau issued the Pilot Scheme for the Recognition of Special Industry Talent in Pingshan. Aimed at leading companies and high-tech enterprises in the district, the pilot addresses highly skilled technicians and senior managers who fall outside existing talent policies because of age, education, professional titles or skill certificates."),
                ("heading", "Four steps to recognition"),
                ("paragraph", "Recognition has four steps: the employer applies to the relevant district industry authority or the District Human Resources Bureau; the industry authority organizes an expert review focused on the candidate's actual contribution and influence in the industry; the district talent work department holds a regular talent work meeting to decide collectively; and the list of recognized candidates is filed with the municipal human resources authority."),
                ("paragraph", "The first round received 31 applications from 19 companies, covering roles such as precision tooling, biological fermentation, power battery processing and chip packaging equipment commissioning. After expert review and collective deliberation, 12 people were recognized, including seven over the usual age limit and nine without an intermediate or higher professional title."),
                ("quote", "'A person's value lies in what they contribute to the industry, not only in their certificates. The pilot is meant to keep the people companies cannot do without,' said an official of the District Human Resources Bureau."),
                ("paragraph", "Recognized talent can receive support such as talent housing, school places for their children and a fast track for professional title assessment in line with regulations. The bureau will review the pilot, widen it to more companies when appropriate and send proposals for improving the special talent policy to the municipal authorities."),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 13. Kengzi national biomed base
    # ------------------------------------------------------------------
    {
        "slug": "kengzi-national-biomed-base-680-firms",
        "date": "2026-09-03",
        "themes": ["biomed"],
        "featured": False,
        "zh": {
            "title": "坑梓国家生物产业基地集聚创新企业突破680家",
            "summary": "位于坑梓街道的深圳国家生物产业基地已集聚生物医药创新企业680余家。今年以来，基地新增落户企业26家，联合实验室和中试平台为中小企业降低研发门槛。",
            "body": [
                ("paragraph", "记者9月3日从坑梓街道获悉，位于坑梓街道的深圳国家生物产业基地已集聚生物医药创新企业680余家，覆盖创新药、医疗器械、生物材料、基因检测和医药研发外包等领域。今年1至8月，基地新增落户企业26家，其中研发型企业占比超过六成。"),
                ("heading", "从“缺底蕴”到“聚链条”"),
                ("paragraph", "基地建设初期，曾面临医药产业基础薄弱、龙头企业和临床资源缺乏等短板。十余年来，坪山坚持推动生物医药产业集聚发展，通过建设产业加速器、引进创新平台、完善配套服务，逐步形成了从研发、中试到生产的产业链条，区内生物医药企业数量和产值保持较快增长。"),
                ("paragraph", "针对中小企业建实验室难、成本高的问题，基地内的联合实验室和中试服务平台采取共享方式向企业开放，今年已服务企业142家次。生物医药产业共治委员会也将“中试平台共享机制”列为年度重点议题，推动区内平台设备和机时信息统一发布。"),
                ("quote", "“企业来坪山，看重的不只是空间，更是身边有上下游、有平台、有资本。”坑梓街道相关负责人表示。"),
                ("paragraph", "下一步，坑梓街道将配合区相关部门，结合生物医药科技产业创新基金投资布局，加快推进产业空间供给和配套设施建设，为入驻企业提供工商登记、人才补贴申报等“一站式”代办服务。"),
            ],
        },
        "en": {
            "title": "National biomedicine industry base in Kengzi passes 680 innovative companies",
            "summary": "The Shenzhen National Bio-industry Base in Kengzi Subdistrict now hosts more than 680 innovative biomedicine companies. Twenty-six new firms have moved in this year, and shared laboratories and pilot platforms are lowering the cost of R&D for small companies.",
            "body": [
                ("paragraph", "Kengzi Subdistrict said on 3 September that the Shenzhen National Bio-industry Base in the subdistrict now hosts more than 680 innovative biomedicine companies in innovative drugs, medical devices, biomaterials, genetic testing and contract research. From January to August this year, 26 new companies moved in, more than 60% of them R&D-focused."),
                ("heading", "From a weak base to a full chain"),
                ("paragraph", "When the base was founded it had a weak pharmaceutical foundation and lacked leading companies and clinical resources. Over more than ten years, Pingshan has promoted the clustered development of the biomedicine industry by building an industry accelerator, attracting innovation platforms and improving support services, gradually forming a chain from R&D and pilot production to manufacturing."),
                ("paragraph", "Because small companies find it hard and expensive to build their own laboratories, the base's joint laboratories and pilot-scale service platform are open to companies on a shared basis and have served companies 142 times this year. The Biomedicine Industry Co-governance Council has also made a shared pilot platform mechanism one of its priority topics for the year."),
                ("quote", "'Companies come to Pingshan not only for space, but because suppliers, customers, platforms and capital are close at hand,' said an official of Kengzi Subdistrict."),
                ("paragraph", "Kengzi Subdistrict will work with district departments, in step with the investments of the biomedicine innovation fund, to speed up the supply of industrial space and supporting facilities, and will offer one-stop assistance with business registration and talent subsidy applications."),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 14. IC public testing platform
    # ------------------------------------------------------------------
    {
        "slug": "ic-public-testing-platform-opens",
        "date": "2026-10-15",
        "themes": ["ic"],
        "featured": False,
        "zh": {
            "title": "坪山集成电路公共测试服务平台投入运营",
            "summary": "总投资2.8亿元的坪山集成电路公共测试服务平台投入运营，提供晶圆级测试、可靠性试验和车规级认证测试等服务，首批23家企业签约使用，平均测试周期有望缩短一半。",
            "body": [
                ("paragraph", "10月15日，坪山集成电路公共测试服务平台在坪山高新区投入运营。平台由区工业和信息化局统筹建设，总投资2.8亿元，建筑面积6800平方米，配置晶圆级测试、成品测试、失效分析和可靠性试验等设备120余台（套），可为功率半导体、模拟芯片和车规级芯片企业提供一站式测试服务。"),
                ("heading", "共治委员会参与平台规则制定"),
                ("paragraph", "平台建设过程中，集成电路产业共治委员会产业促进专业委员会先后3次组织成员企业讨论收费标准和机时分配规则。最终方案对中小企业实行阶梯价格，并预留不低于30%的机时用于初创企业和高校团队，相关规则已在平台网站公开。"),
                ("paragraph", "运营首日，23家企业与平台签订服务协议。据测算，区内企业此前需送往外地检测的车规级可靠性试验，在本地平台完成后平均周期可由约6周缩短至3周左右，单次测试成本下降约20%。"),
                ("quote", "“测试是芯片企业绕不开的环节。家门口有了公共平台，企业产品迭代的速度会明显加快。”区工业和信息化局相关负责人表示。"),
                ("paragraph", "下一步，平台将与新能源汽车整车及零部件企业合作，开展车规级芯片联合验证，并争取年内取得相关检测资质认定。同时，平台计划与区内高校和职业院校合作建设集成电路测试人才实训基地，每年培训测试工程师不少于200人次。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 15. NEV x IC supply matchmaking
    # ------------------------------------------------------------------
    {
        "slug": "nev-ic-chip-supply-matchmaking",
        "date": "2026-08-06",
        "themes": ["nev", "ic"],
        "featured": False,
        "zh": {
            "title": "两个产业共治委员会联合举办车规级芯片供需对接会",
            "summary": "新能源汽车、集成电路两个产业共治委员会在坪山联合举办车规级芯片供需对接会，31家汽车企业与27家芯片企业参会，发布需求46项，现场达成合作意向19项。",
            "body": [
                ("paragraph", "8月6日，由坪山区新能源汽车产业共治委员会和集成电路产业共治委员会联合主办的车规级芯片供需对接会在坪山区举行。31家整车及零部件企业和27家芯片设计、制造与封测企业参会，区发展和改革局、区工业和信息化局相关负责同志出席。"),
                ("heading", "46项需求现场发布"),
                ("paragraph", "会上，汽车企业集中发布了功率模块、电池管理芯片、车载传感器芯片等46项采购和联合开发需求，芯片企业进行了产品推介。经现场洽谈，双方达成合作意向19项，其中联合开发项目7项、样品验证项目12项。"),
                ("paragraph", "新能源汽车产业共治委员会产业风险防控专业委员会介绍了第二季度供应链会商情况，建议区内整车企业对关键芯片建立“本地第二供应商”机制，降低单一来源风险。集成电路产业共治委员会则表示，将推动公共测试服务平台优先承接车规级验证需求。"),
                ("quote", "“整车厂知道要什么，芯片企业知道能做什么，对接会就是把这两张清单放在一起。”新能源汽车产业共治委员会秘书处相关负责人说。"),
                ("paragraph", "据悉，两个委员会将每半年举办一次联合对接活动，并建立合作意向跟踪台账，由秘书处按季度向成员单位通报进展。对达成合作并实现批量供货的项目，区相关部门将按照现行产业政策给予支持。"),
            ],
        },
    },
    # ------------------------------------------------------------------
    # 16. Incubator evaluation opinions
    # ------------------------------------------------------------------
    {
        "slug": "councils-evaluate-incubator-projects",
        "date": "2026-11-18",
        "themes": ["biomed", "smart_mfg"],
        "featured": False,
        "zh": {
            "title": "产业共治委员会首次对孵化载体招商项目出具专业评价意见",
            "summary": "三个产业共治委员会组织专家完成2026年度孵化载体绩效评价，对6个重大孵化器招商引资项目出具专业评价意见，评价结果摘要按政务公开要求在本门户发布。",
            "body": [
                ("paragraph", "11月18日，坪山区2026年度孵化载体绩效评价工作总结会召开。今年，生物医药、新能源汽车、集成电路三个产业共治委员会首次组织行业专家参与孵化载体评价，共对全区14家孵化器和众创空间开展绩效评价，并对6个重大孵化器招商引资项目出具了专业评价意见。"),
                ("heading", "专家评审关注产业契合度"),
                ("paragraph", "评价专家组由企业技术负责人、投资机构合伙人和科研院所研究人员等21人组成，重点考察孵化载体的在孵企业质量、毕业企业留存率、公共服务能力以及招商项目与坪山主导产业的契合度。6个招商项目中，4个获“推荐”意见，2个被建议补充技术验证材料后再行论证。"),
                ("paragraph", "根据评价结果，14家孵化载体中评为优秀的4家、良好的7家、合格的3家，评价结果将与孵化载体运营补贴挂钩。评价结果摘要和专家意见要点已按照政务公开要求在本门户“共治意见公开”栏目发布。"),
                ("quote", "“让懂产业的人来评孵化器、评项目，能更早识别好项目，也能避免空间被低效占用。”区科技创新局相关负责人表示。"),
                ("paragraph", "下一步，各产业共治委员会将搭建孵化载体数据管理和行业交流平台，定期组织行业培训和案例研讨，推动孵化载体向专业化、产业化方向转型。同时，评价指标体系将结合今年试行情况修订完善，并在明年评价工作启动前公开征求意见。"),
            ],
        },
    },
]


STANDARD_PAGES = [
    {
        "slug": "about",
        "show_in_menus": True,
        "zh": {
            "title": "关于门户",
            "intro": "坪山产业共治与创新基金门户是坪山区面向企业、机构和公众发布产业共治和创新基金信息的综合服务窗口。",
            "body": [
                ("heading", "门户定位"),
                ("paragraph", "本门户集中发布新能源汽车、生物医药、集成电路等产业共治委员会的工作动态、政策评议和项目评价意见，公开生物医药科技产业创新基金的设立、投资和绩效评价信息，并提供海外人才离岸创新创业基地、特殊人才认定等服务指引。"),
                ("heading", "产业共治委员会"),
                ("paragraph", "产业共治委员会是由区相关职能部门牵头、业界代表占比不低于90%的非法人组织，秘书处挂靠牵头部门，下设国际推广、战略规划、产业促进、营商环境、产业风险防控等专业委员会。非成员单位可通过本门户申请参与专业委员会工作。"),
                ("heading", "创新基金"),
                ("paragraph", "坪山区生物医药科技产业创新基金目标规模30亿至50亿元，分期募集、市场化运作，重点支持处于研发向产业化过渡阶段的生物医药企业。基金投资进展和年度绩效评价摘要将在本门户定期公开。"),
                ("heading", "说明"),
                ("paragraph", "本站为演示站点，所载机构名称、数据和联系方式均为示例内容，不代表任何真实机构的正式信息。"),
            ],
        },
        "en": {
            "title": "About the portal",
            "intro": "The Pingshan Industry Co-governance and Innovation Fund Portal is the district's one-stop window for companies, organizations and the public on industry co-governance and innovation funding.",
            "body": [
                ("heading", "What the portal does"),
                ("paragraph", "The portal publishes news, policy reviews and project evaluation opinions from the co-governance councils for new energy vehicles, biomedicine and integrated circuits; discloses information on the establishment, investments and performance evaluation of the Biomedicine Science and Technology Industry Innovation Fund; and provides guidance on services such as the offshore innovation base for overseas talent and special talent recognition."),
                ("heading", "Industry co-governance councils"),
                ("paragraph", "Each co-governance council is an unincorporated body led by a district department, with industry representatives making up at least 90% of its members. Its secretariat is attached to the lead department, and it has specialist committees for international promotion, strategic planning, industry promotion, business environment and industry risk prevention and control. Non-member organizations can apply through this portal to take part in committee work."),
                ("heading", "Innovation fund"),
                ("paragraph", "The Pingshan Biomedicine Science and Technology Industry Innovation Fund has a target size of RMB 3 to 5 billion, raised in tranches and run on market principles, and focuses on biomedicine companies moving from R&D to industrialization. Investment progress and annual performance evaluation summaries are published here regularly."),
                ("heading", "Notice"),
                ("paragraph", "This is a demonstration site. All organization names, figures and contact details are examples and do not represent official information of any real organization."),
            ],
        },
    },
    {
        "slug": "open-government",
        "show_in_menus": True,
        "zh": {
            "title": "政务公开指南",
            "intro": "本指南说明本门户主动公开的信息范围、公开方式和时限，以及依申请公开的办理渠道。",
            "body": [
                ("heading", "主动公开范围"),
                ("paragraph", "本门户主动公开以下信息：产业共治委员会的组建方案、章程和成员单位名单；政策评议报告及牵头部门的采纳反馈；孵化载体评价结果摘要和重大项目评价意见要点；生物医药科技产业创新基金的设立情况、投资项目概况和年度绩效评价摘要；人才服务政策及办事指南。"),
                ("heading", "公开时限"),
                ("paragraph", "属于主动公开范围的信息，原则上自形成或变更之日起20个工作日内公开。涉及国家秘密、商业秘密和个人隐私的内容依法不予公开或作脱敏处理。"),
                ("heading", "依申请公开"),
                ("paragraph", "公民、法人或者其他组织可通过信函、现场或本门户在线表单提出政府信息公开申请，并写明申请人信息、所需信息的内容描述和获取方式。受理机关将在法定期限内予以答复。"),
                ("heading", "监督与反馈"),
                ("paragraph", "对本门户信息公开工作有意见建议的，可通过“联系我们”页面公布的电话或电子邮箱反映，我们将在5个工作日内予以回复。"),
            ],
        },
        "en": {
            "title": "Open government guide",
            "intro": "This guide explains what information the portal publishes proactively, how and when it is published, and how to request information that is not yet public.",
            "body": [
                ("heading", "Proactive disclosure"),
                ("paragraph", "The portal proactively publishes: the establishment plans, charters and member lists of the industry co-governance councils; policy review reports and the lead departments' responses; summaries of incubator evaluations and key points of opinions on major projects; the establishment, investments and annual performance evaluation summaries of the biomedicine innovation fund; and talent service policies and procedural guides."),
                ("heading", "Time limits"),
                ("paragraph", "Information within the scope of proactive disclosure is in principle published within 20 working days of its creation or change. Content involving state secrets, trade secrets or personal privacy is withheld or anonymized in accordance with the law."),
                ("heading", "Requests for information"),
                ("paragraph", "Citizens, legal persons and other organizations may request government information by letter, in person or through the online form on this portal, stating the applicant's details, a description of the information sought and the preferred format. The responsible office will reply within the statutory time limit."),
                ("heading", "Feedback"),
                ("paragraph", "Comments on the portal's disclosure work can be sent by phone or e-mail using the details on the Contact page. We will reply within five working days."),
            ],
        },
    },
    {
        "slug": "contact",
        "show_in_menus": True,
        "zh": {
            "title": "联系我们",
            "intro": "如需咨询产业共治委员会、创新基金或人才服务事项，请通过以下方式联系相关秘书处或服务窗口（以下均为演示信息）。",
            "body": [
                ("heading", "门户运营办公室"),
                ("paragraph", "地址：深圳市坪山区坪山街道坪山大道示例路1号（演示地址）；电话：0755-2800 0100；电子邮箱：portal@pingshan-demo.example.gov.cn。"),
                ("heading", "产业共治委员会秘书处"),
                ("paragraph", "新能源汽车产业共治委员会秘书处（挂靠区发展和改革局）：0755-2800 0111；生物医药产业共治委员会秘书处（挂靠区科技创新局）：0755-2800 0122；集成电路产业共治委员会秘书处（挂靠区工业和信息化局）：0755-2800 0133。"),
                ("heading", "人才服务"),
                ("paragraph", "海外人才离岸创新创业基地外籍人才服务专窗：0755-2800 0155；产业特殊人才认定咨询（区人力资源局）：0755-2800 0166。"),
                ("heading", "办公时间"),
                ("paragraph", "周一至周五 上午9:00—12:00，下午14:00—18:00（法定节假日除外）。"),
            ],
        },
        "en": {
            "title": "Contact us",
            "intro": "For questions about the co-governance councils, the innovation fund or talent services, please contact the relevant secretariat or service desk below (all details are for demonstration only).",
            "body": [
                ("heading", "Portal office"),
                ("paragraph", "Address: No. 1 Demo Road, Pingshan Avenue, Pingshan Subdistrict, Pingshan District, Shenzhen (demo address). Tel: +86 755 2800 0100. E-mail: portal@pingshan-demo.example.gov.cn."),
                ("heading", "Council secretariats"),
                ("paragraph", "New Energy Vehicle Industry Co-governance Council secretariat (District Development and Reform Bureau): +86 755 2800 0111. Biomedicine Industry Co-governance Council secretariat (District Science, Technology and Innovation Bureau): +86 755 2800 0122. Integrated Circuit Industry Co-governance Council secretariat (District Industry and Information Technology Bureau): +86 755 2800 0133."),
                ("heading", "Talent services"),
                ("paragraph", "Foreign talent service desk at the offshore innovation base: +86 755 2800 0155. Special industry talent recognition enquiries (District Human Resources Bureau): +86 755 2800 0166."),
                ("heading", "Office hours"),
                ("paragraph", "Monday to Friday, 9:00-12:00 and 14:00-18:00, except public holidays."),
            ],
        },
    },
]


THEME_INTROS = {
    "nev": {
        "zh": "新能源汽车是坪山的主导产业之一。坪山拥有国家级新能源（汽车）产业基地，聚集整车、动力电池、电驱电控和充换电等企业。新能源汽车产业共治委员会由区发展和改革局牵头，组织业界共同研究产业规划和政策。",
        "en": "New energy vehicles are one of Pingshan's leading industries. The district hosts a national new energy (vehicle) industry base with companies in vehicle manufacturing, power batteries, electric drives and charging. The New Energy Vehicle Industry Co-governance Council, led by the District Development and Reform Bureau, brings industry together on planning and policy.",
    },
    "biomed": {
        "zh": "生物医药是坪山重点培育的主导产业。坑梓街道的深圳国家生物产业基地已集聚创新企业680余家。生物医药产业共治委员会由区科技创新局牵头，生物医药科技产业创新基金为企业提供长周期资本支持。",
        "en": "Biomedicine is a leading industry in Pingshan. The Shenzhen National Bio-industry Base in Kengzi Subdistrict hosts more than 680 innovative companies. The Biomedicine Industry Co-governance Council is led by the District Science, Technology and Innovation Bureau, and the biomedicine innovation fund provides long-term capital.",
    },
    "ic": {
        "zh": "集成电路是坪山加快布局的主导产业，重点发展功率半导体、第三代半导体、车规级芯片和封装测试。集成电路产业共治委员会由区工业和信息化局牵头，推动公共测试平台共建共享和跨产业协作。",
        "en": "Integrated circuits are a leading industry Pingshan is building up, focusing on power semiconductors, third-generation semiconductors, automotive-grade chips and packaging and testing. The Integrated Circuit Industry Co-governance Council, led by the District Industry and Information Technology Bureau, promotes shared testing platforms and cross-industry cooperation.",
    },
    "ngit": {
        "zh": "新一代信息技术为坪山各主导产业提供数字化支撑，涵盖工业互联网、数据服务和智能网联等方向。海外人才离岸创新创业基地将电子信息列为重点引进领域，欢迎海外团队来坪发展。",
        "en": "Next-generation information technology supports all of Pingshan's leading industries, including the industrial internet, data services and connected vehicles. The offshore innovation base lists electronic information as a priority field and welcomes overseas teams.",
    },
    "materials": {
        "zh": "新材料是坪山重点培育的成长型产业，聚焦电池材料、半导体材料和先进碳材料等方向，与新能源汽车、集成电路等主导产业形成上下游配套，也是海外人才离岸创新创业基地的重点引进领域。",
        "en": "New materials are a growth industry in Pingshan, focused on battery materials, semiconductor materials and advanced carbon materials that supply the new energy vehicle and integrated circuit industries. They are also a priority field for the offshore innovation base.",
    },
    "smart_mfg": {
        "zh": "智能制造是坪山传统优势产业转型升级的重要方向，涵盖智能装备、精密制造和工业软件等领域。坪山通过产业特殊人才认定试点等举措，帮助企业留住高技能骨干人才。",
        "en": "Smart manufacturing is key to upgrading Pingshan's established industries, covering intelligent equipment, precision manufacturing and industrial software. Measures such as the special industry talent pilot help companies retain highly skilled staff.",
    },
    "clean_energy": {
        "zh": "清洁能源是坪山积极引进的成长型产业，重点关注氢能与燃料电池、新型光伏和储能等方向。海外人才离岸创新创业基地已引进多个清洁能源领域的海外创业项目。",
        "en": "Clean energy is a growth industry Pingshan is actively attracting, with a focus on hydrogen and fuel cells, new photovoltaics and energy storage. The offshore innovation base has already brought in several overseas clean energy start-ups.",
    },
}


HOME = {
    "zh": {
        "intro": "欢迎访问坪山产业共治与创新基金门户，这里汇聚产业共治委员会动态、创新基金信息和人才服务指引，让业界与政府携手共建产业生态。",
        "key_figures": [
            ("680+", "家", "生物医药创新企业"),
            ("3", "个", "产业共治委员会"),
            ("90%", "", "业界代表占比不低于"),
            ("30–50", "亿元", "生物医药创新基金目标规模"),
        ],
    },
    "en": {
        "intro": "Welcome to the Pingshan Industry Co-governance and Innovation Fund Portal, where industry and government work together: council news, innovation fund information and talent services in one place.",
        "key_figures": [
            ("680+", "", "innovative biomedicine companies"),
            ("3", "", "industry co-governance councils"),
            ("90%", "", "minimum share of industry representatives"),
            ("3–5", "RMB bn", "target size of the biomedicine innovation fund"),
        ],
    },
}


SITE_FOOTER = {
    "zh": {
        "organizer": "深圳市坪山区人民政府（示例）",
        "address": "深圳市坪山区坪山街道坪山大道示例路1号（演示地址）",
        "phone": "0755-2800 0100",
        "email": "portal@pingshan-demo.example.gov.cn",
        "icp": "粤ICP备00000000号（演示）",
        "police_record": "粤公网安备 00000000000000号（演示）",
        "hours": "周一至周五 9:00—12:00，14:00—18:00（法定节假日除外）",
    },
    "en": {
        "organizer": "People's Government of Pingshan District, Shenzhen (demo)",
        "address": "No. 1 Demo Road, Pingshan Avenue, Pingshan Subdistrict, Pingshan District, Shenzhen (demo address)",
        "phone": "+86 755 2800 0100",
        "email": "portal@pingshan-demo.example.gov.cn",
        "icp": "Guangdong ICP No. 00000000 (demo)",
        "police_record": "Guangdong Public Network Security Record No. 00000000000000 (demo)",
        "hours": "Monday to Friday, 9:00-12:00 and 14:00-18:00, except public holidays",
    },
}


ORGANIZATIONS = [
    # (name_zh, name_en, kind, registered_in_pingshan, theme_codes, address_zh, contact_name, contact_phone)

    # --- government -------------------------------------------------------
    ("深圳市坪山区发展和改革局", "Development and Reform Bureau of Pingshan District, Shenzhen", "government", True, ["nev"], "深圳市坪山区坪山街道坪山大道示例路1号", "陈主任", "0755-2800 0111"),
    ("深圳市坪山区科技创新局", "Science, Technology and Innovation Bureau of Pingshan District, Shenzhen", "government", True, ["biomed"], "深圳市坪山区坪山街道坪山大道示例路1号", "刘主任", "0755-2800 0122"),
    ("深圳市坪山区工业和信息化局", "Industry and Information Technology Bureau of Pingshan District, Shenzhen", "government", True, ["ic"], "深圳市坪山区坪山街道坪山大道示例路1号", "黄主任", "0755-2800 0133"),
    ("深圳市坪山区投资推广服务署", "Investment Promotion Agency of Pingshan District, Shenzhen", "government", True, ["nev", "biomed", "ic"], "深圳市坪山区坪山街道坪山大道示例路3号", "周主任", "0755-2800 0144"),
    ("深圳市市场监督管理局坪山监管局", "Pingshan Branch, Shenzhen Administration for Market Regulation", "government", True, ["nev", "biomed", "ic"], "深圳市坪山区坪山街道示例东路8号", "吴主任", "0755-2800 0177"),
    ("深圳市坪山区人力资源局", "Human Resources Bureau of Pingshan District, Shenzhen", "government", True, ["biomed", "ngit", "smart_mfg"], "深圳市坪山区坪山街道坪山大道示例路1号", "郑主任", "0755-2800 0166"),

    # --- biomedicine -------------------------------------------------------
    ("深圳坪山康源生物医药有限公司", "Shenzhen Pingshan Kangyuan Biopharma Co., Ltd.", "enterprise", True, ["biomed"], "深圳市坪山区坑梓街道生物医药产业园示例楼A栋", "王经理", "0755-2810 0101"),
    ("深圳市坪山瑞和基因科技有限公司", "Shenzhen Pingshan Ruihe Gene Technology Co., Ltd.", "enterprise", True, ["biomed"], "深圳市坪山区坑梓街道生物医药加速器示例楼3层", "李女士", "0755-2810 0102"),
    ("深圳锦康达医疗器械有限公司", "Shenzhen Jinkangda Medical Devices Co., Ltd.", "enterprise", True, ["biomed"], "深圳市坪山区龙田街道示例工业区5栋", "张经理", "0755-2810 0103"),
    ("深圳市坑梓新元抗体药业有限公司", "Shenzhen Kengzi Xinyuan Antibody Pharmaceutical Co., Ltd.", "enterprise", True, ["biomed"], "深圳市坪山区坑梓街道生物医药产业园示例楼C栋", "赵先生", "0755-2810 0104"),
    ("深圳华屿细胞治疗技术有限公司", "Shenzhen Huayu Cell Therapy Technology Co., Ltd.", "enterprise", True, ["biomed"], "深圳市坪山区坑梓街道生物医药加速器示例楼7层", "孙女士", "0755-2810 0105"),
    ("深圳坪山合成生物创新科技有限公司", "Shenzhen Pingshan Synthetic Biology Innovation Technology Co., Ltd.", "enterprise", True, ["biomed", "materials"], "深圳市坪山区石井街道示例科技园2栋", "钱经理", "0755-2810 0106"),
    ("深圳市坪山生物医药产业促进会", "Pingshan Biomedicine Industry Promotion Association", "industry_association", True, ["biomed"], "深圳市坪山区坑梓街道生物医药加速器示例楼1层", "何主任", "0755-2810 0107"),
    ("深圳坪山生命科学创新研究院", "Shenzhen Pingshan Institute of Life Science Innovation", "research_institute", True, ["biomed"], "深圳市坪山区坑梓街道示例研发中心B座", "林主任", "0755-2810 0108"),
    ("深圳坪山生物医药中试与检测公共服务平台", "Pingshan Biomedicine Pilot-scale and Testing Public Service Platform", "public_platform", True, ["biomed"], "深圳市坪山区坑梓街道生物医药产业园示例楼D栋", "罗主任", "0755-2810 0109"),
    ("深圳市睿坪临床研究服务有限公司", "Shenzhen Ruiping Clinical Research Services Co., Ltd.", "professional_service", True, ["biomed"], "深圳市坪山区坪山街道示例商务中心12层", "高女士", "0755-2810 0110"),
    ("深圳东坪知识产权代理有限公司", "Shenzhen Dongping Intellectual Property Agency Co., Ltd.", "professional_service", True, ["biomed", "ic"], "深圳市坪山区坪山街道示例商务中心9层", "梁先生", "0755-2810 0111"),
    ("深圳坪创生物医药股权投资基金管理有限公司", "Shenzhen Pingchuang Biomedicine Equity Investment Fund Management Co., Ltd.", "financial_institution", True, ["biomed"], "深圳市坪山区坪山街道示例金融大厦18层", "宋经理", "0755-2810 0112"),
    ("深圳市鹏东创新投资有限公司", "Shenzhen Pengdong Innovation Investment Co., Ltd.", "financial_institution", False, ["biomed", "ic"], "深圳市福田区示例金融中心26层", "谢经理", "0755-2810 0113"),

    # --- new energy vehicles ----------------------------------------------
    ("深圳坪山驰远新能源汽车有限公司", "Shenzhen Pingshan Chiyuan New Energy Vehicle Co., Ltd.", "enterprise", True, ["nev"], "深圳市坪山区坑梓街道示例汽车产业园1号", "马经理", "0755-2820 0201"),
    ("深圳市锐能动力电池科技有限公司", "Shenzhen Ruineng Power Battery Technology Co., Ltd.", "enterprise", True, ["nev", "materials"], "深圳市坪山区龙田街道示例工业园6栋", "胡经理", "0755-2820 0202"),
    ("深圳坪山智途汽车电子有限公司", "Shenzhen Pingshan Zhitu Automotive Electronics Co., Ltd.", "enterprise", True, ["nev", "ic"], "深圳市坪山区坪山街道示例科技园4栋", "郭女士", "0755-2820 0203"),
    ("深圳市恒驱电机技术有限公司", "Shenzhen Hengqu Electric Motor Technology Co., Ltd.", "enterprise", True, ["nev"], "深圳市坪山区石井街道示例工业区8栋", "徐先生", "0755-2820 0204"),
    ("深圳坪山易充换电运营服务有限公司", "Shenzhen Pingshan Yichong Charging and Battery Swap Services Co., Ltd.", "enterprise", True, ["nev", "clean_energy"], "深圳市坪山区马峦街道示例路22号", "邓经理", "0755-2820 0205"),
    ("深圳市坪山新能源汽车产业协会", "Pingshan New Energy Vehicle Industry Association", "industry_association", True, ["nev"], "深圳市坪山区坪山街道示例商务中心6层", "冯主任", "0755-2820 0206"),
    ("深圳坪山智能网联汽车研究院", "Shenzhen Pingshan Intelligent Connected Vehicle Research Institute", "research_institute", True, ["nev", "ngit"], "深圳市坪山区坑梓街道示例研发中心A座", "曹主任", "0755-2820 0207"),
    ("深圳坪山新能源汽车检测认证公共服务平台", "Pingshan New Energy Vehicle Testing and Certification Public Service Platform", "public_platform", True, ["nev"], "深圳市坪山区坑梓街道示例汽车产业园9号", "彭主任", "0755-2820 0208"),
    ("广东东岸律师事务所", "Guangdong Dong'an Law Firm", "professional_service", True, ["nev", "biomed"], "深圳市坪山区坪山街道示例商务中心15层", "曾律师", "0755-2820 0209"),
    ("深圳鼎衡会计师事务所（特殊普通合伙）", "Shenzhen Dingheng Certified Public Accountants (Special General Partnership)", "professional_service", False, ["nev", "ic", "biomed"], "深圳市福田区示例商务大厦20层", "萧女士", "0755-2820 0210"),
    ("深圳坪山绿能融资租赁有限公司", "Shenzhen Pingshan Lvneng Financial Leasing Co., Ltd.", "financial_institution", True, ["nev", "clean_energy"], "深圳市坪山区坪山街道示例金融大厦10层", "田经理", "0755-2820 0211"),
    ("深圳市东部新动力产业投资基金管理有限公司", "Shenzhen Eastern New Power Industrial Investment Fund Management Co., Ltd.", "financial_institution", True, ["nev"], "深圳市坪山区坪山街道示例金融大厦16层", "董经理", "0755-2820 0212"),

    # --- integrated circuits ----------------------------------------------
    ("深圳坪山芯源微电子有限公司", "Shenzhen Pingshan Xinyuan Microelectronics Co., Ltd.", "enterprise", True, ["ic"], "深圳市坪山区石井街道示例半导体产业园1栋", "袁经理", "0755-2830 0301"),
    ("深圳市坪芯封装测试技术有限公司", "Shenzhen Pingxin Packaging and Testing Technology Co., Ltd.", "enterprise", True, ["ic"], "深圳市坪山区石井街道示例半导体产业园3栋", "潘先生", "0755-2830 0302"),
    ("深圳锐晶半导体材料有限公司", "Shenzhen Ruijing Semiconductor Materials Co., Ltd.", "enterprise", True, ["ic", "materials"], "深圳市坪山区龙田街道示例新材料园2栋", "蒋女士", "0755-2830 0303"),
    ("深圳坪山华芯功率器件有限公司", "Shenzhen Pingshan Huaxin Power Devices Co., Ltd.", "enterprise", True, ["ic", "nev"], "深圳市坪山区石井街道示例半导体产业园5栋", "蔡经理", "0755-2830 0304"),
    ("深圳坪山矽图设计自动化有限公司", "Shenzhen Pingshan Xitu Design Automation Co., Ltd.", "enterprise", True, ["ic", "ngit"], "深圳市坪山区坪山街道示例软件园11层", "余先生", "0755-2830 0305"),
    ("深圳市坪山集成电路产业联盟", "Pingshan Integrated Circuit Industry Alliance", "industry_association", True, ["ic"], "深圳市坪山区石井街道示例半导体产业园综合楼", "杜主任", "0755-2830 0306"),
    ("深圳坪山第三代半导体研究院", "Shenzhen Pingshan Third-Generation Semiconductor Research Institute", "research_institute", True, ["ic", "materials"], "深圳市坪山区坑梓街道示例研发中心C座", "叶主任", "0755-2830 0307"),
    ("深圳坪山集成电路公共测试服务平台", "Pingshan Integrated Circuit Public Testing Service Platform", "public_platform", True, ["ic"], "深圳市坪山区石井街道示例半导体产业园7栋", "程主任", "0755-2830 0308"),
    ("广东芯衡律师事务所", "Guangdong Xinheng Law Firm", "professional_service", False, ["ic"], "深圳市南山区示例科技大厦22层", "苏律师", "0755-2830 0309"),
    ("深圳坪山科技融资担保有限公司", "Shenzhen Pingshan Technology Financing Guarantee Co., Ltd.", "financial_institution", True, ["ic", "biomed", "nev"], "深圳市坪山区坪山街道示例金融大厦8层", "魏经理", "0755-2830 0310"),
    ("深圳市坪山芯创投资管理有限公司", "Shenzhen Pingshan Xinchuang Investment Management Co., Ltd.", "financial_institution", True, ["ic"], "深圳市坪山区坪山街道示例金融大厦12层", "吕经理", "0755-2830 0311"),

    # --- other themes --------------------------------------------------------
    ("深圳坪山云帆数据科技有限公司", "Shenzhen Pingshan Yunfan Data Technology Co., Ltd.", "enterprise", True, ["ngit"], "深圳市坪山区坪山街道示例软件园6层", "丁先生", "0755-2840 0401"),
    ("深圳坪山工业互联网创新中心", "Pingshan Industrial Internet Innovation Center", "public_platform", True, ["ngit", "smart_mfg"], "深圳市坪山区龙田街道示例智造园A栋", "任主任", "0755-2840 0402"),
    ("深圳坪山碳纳新材料有限公司", "Shenzhen Pingshan Tanna New Materials Co., Ltd.", "enterprise", True, ["materials"], "深圳市坪山区龙田街道示例新材料园5栋", "姚经理", "0755-2840 0403"),
    ("深圳坪山精工智能装备有限公司", "Shenzhen Pingshan Jinggong Intelligent Equipment Co., Ltd.", "enterprise", True, ["smart_mfg"], "深圳市坪山区碧岭街道示例工业区3栋", "卢经理", "0755-2840 0404"),
    ("深圳坪山氢源清洁能源科技有限公司", "Shenzhen Pingshan Qingyuan Clean Energy Technology Co., Ltd.", "enterprise", True, ["clean_energy"], "深圳市坪山区马峦街道示例能源产业园2栋", "姜女士", "0755-2840 0405"),
    ("深圳坪山海外人才离岸创新创业基地运营管理有限公司", "Shenzhen Pingshan Offshore Innovation and Entrepreneurship Base Operation and Management Co., Ltd.", "public_platform", True, ["ngit", "biomed", "clean_energy"], "深圳市坪山区坪山街道示例创新广场B座", "崔主任", "0755-2800 0155"),
]
