"""The demo district's agencies, modelled on the seed report's Xicheng district.

Data, not code: names as a real district publishes them, with English names for the
English portal. Codes follow the administrative division code 110102 of Xicheng; the
sub-district offices carry their real township codes, departments a 1xx serial.
"""

DISTRICT = ("110102", "北京市西城区人民政府", "Xicheng District People's Government")

# (serial, Chinese name, English name)
DEPARTMENTS: tuple[tuple[int, str, str], ...] = (
    (101, "北京市西城区人民政府办公室", "General Office of the Xicheng District Government"),
    (102, "北京市西城区发展和改革委员会", "Xicheng District Development and Reform Commission"),
    (103, "北京市西城区教育委员会", "Xicheng District Education Commission"),
    (104, "北京市西城区科学技术和信息化局", "Xicheng District Bureau of Science, Technology and Informatization"),
    (105, "北京市西城区民族宗教事务办公室", "Xicheng District Ethnic and Religious Affairs Office"),
    (106, "北京市公安局西城分局", "Xicheng Branch of the Beijing Public Security Bureau"),
    (107, "北京市西城区民政局", "Xicheng District Civil Affairs Bureau"),
    (108, "北京市西城区司法局", "Xicheng District Justice Bureau"),
    (109, "北京市西城区财政局", "Xicheng District Finance Bureau"),
    (110, "北京市西城区人力资源和社会保障局", "Xicheng District Human Resources and Social Security Bureau"),
    (111, "北京市规划和自然资源委员会西城分局", "Xicheng Branch of the Beijing Planning and Natural Resources Commission"),
    (112, "北京市西城区生态环境局", "Xicheng District Ecology and Environment Bureau"),
    (113, "北京市西城区住房和城市建设委员会", "Xicheng District Housing and Urban Development Commission"),
    (114, "北京市西城区城市管理委员会", "Xicheng District Urban Management Commission"),
    (115, "北京市西城区交通委员会", "Xicheng District Transport Commission"),
    (116, "北京市西城区水务局", "Xicheng District Water Authority"),
    (117, "北京市西城区商务局", "Xicheng District Commerce Bureau"),
    (118, "北京市西城区文化和旅游局", "Xicheng District Culture and Tourism Bureau"),
    (119, "北京市西城区卫生健康委员会", "Xicheng District Health Commission"),
    (120, "北京市西城区退役军人事务局", "Xicheng District Veterans Affairs Bureau"),
    (121, "北京市西城区应急管理局", "Xicheng District Emergency Management Bureau"),
    (122, "北京市西城区审计局", "Xicheng District Audit Bureau"),
    (123, "北京市西城区人民政府国有资产监督管理委员会", "Xicheng District State-owned Assets Supervision and Administration Commission"),
    (124, "北京市西城区市场监督管理局", "Xicheng District Market Regulation Bureau"),
    (125, "北京市西城区统计局", "Xicheng District Statistics Bureau"),
    (126, "北京市西城区医疗保障局", "Xicheng District Healthcare Security Bureau"),
    (127, "北京市西城区城市管理综合行政执法局", "Xicheng District Urban Management Law Enforcement Bureau"),
    (128, "北京市西城区园林绿化局", "Xicheng District Landscaping Bureau"),
    (129, "北京市西城区体育局", "Xicheng District Sports Bureau"),
    (130, "北京市西城区信访办公室", "Xicheng District Letters and Visits Office"),
    (131, "北京市西城区政务服务管理局", "Xicheng District Government Services Administration"),
    (132, "北京市西城区人民防空办公室", "Xicheng District Civil Air Defence Office"),
    (133, "北京市西城区金融服务办公室", "Xicheng District Financial Services Office"),
    (134, "北京市西城区房屋征收事务中心", "Xicheng District Housing Expropriation Affairs Centre"),
)

# (township code suffix, Chinese name, English name)
SUBDISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("001", "北京市西城区西长安街街道办事处", "Xichang'anjie Sub-district Office"),
    ("003", "北京市西城区新街口街道办事处", "Xinjiekou Sub-district Office"),
    ("007", "北京市西城区月坛街道办事处", "Yuetan Sub-district Office"),
    ("009", "北京市西城区展览路街道办事处", "Zhanlanlu Sub-district Office"),
    ("010", "北京市西城区德胜街道办事处", "Desheng Sub-district Office"),
    ("011", "北京市西城区金融街街道办事处", "Financial Street Sub-district Office"),
    ("012", "北京市西城区什刹海街道办事处", "Shichahai Sub-district Office"),
    ("013", "北京市西城区大栅栏街道办事处", "Dashilan Sub-district Office"),
    ("014", "北京市西城区天桥街道办事处", "Tianqiao Sub-district Office"),
    ("015", "北京市西城区椿树街道办事处", "Chunshu Sub-district Office"),
    ("016", "北京市西城区陶然亭街道办事处", "Taoranting Sub-district Office"),
    ("017", "北京市西城区广安门内街道办事处", "Guang'anmennei Sub-district Office"),
    ("018", "北京市西城区牛街街道办事处", "Niujie Sub-district Office"),
    ("019", "北京市西城区白纸坊街道办事处", "Baizhifang Sub-district Office"),
    ("020", "北京市西城区广安门外街道办事处", "Guang'anmenwai Sub-district Office"),
)

# Streets for the offices' addresses (the demo invents house numbers from its seed).
STREETS: tuple[str, ...] = (
    "二龙路", "西单北大街", "月坛北街", "展览路", "德胜门外大街", "金融大街", "地安门西大街",
    "大栅栏西街", "天桥南大街", "椿树园", "陶然亭路", "广安门内大街", "牛街", "白纸坊东街",
    "广安门外大街", "复兴门内大街", "阜成门内大街", "西直门南小街",
)
