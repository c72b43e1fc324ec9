"""Authored surface forms per skill id, in both languages, for the resume renderer.

One line per skill: ``id | category | English name | Chinese name | aliases | abbreviations | rare aliases |
implying phrases (en) | implying phrases (zh)``; list fields are separated by ``;``. An empty Chinese name means
the English one is what Chinese resumes write too. Implying phrases describe work that shows the skill without
naming it; a reader (or a good parser) can still tell which skill it is.
"""

from __future__ import annotations

SURFACE_TABLE = """
ab-testing | data | A/B testing | A/B测试 | AB testing;split testing;AB测试;A/B实验 | ABT | bucket testing;online controlled experiments;分桶实验 | ran randomized experiments comparing two variants of a page;measured conversion uplift with control and treatment groups | 设计对照实验、分流验证新功能效果;通过分桶实验评估改版转化率
accounting | biz | Accounting | 会计核算 | bookkeeping;financial accounting;会计;账务处理 | acct | general ledger work;做账 | kept the general ledger and handled month-end close;posted journal entries and reconciled accounts | 负责日常记账、凭证录入和月末结账;编制会计凭证并核对总账
after-effects | design | After Effects | After Effects | Adobe After Effects;AE动效 | AE | Adobe AE;AE特效 | built motion graphics and animated transitions for product videos | 制作产品宣传视频的动效和转场动画
agile | biz | Agile | 敏捷开发 | agile development;agile methodology;敏捷 | | Kanban;敏捷迭代;看板方法 | ran two-week sprints with stand-ups and retrospectives;moved the team to short iterations with a shared backlog | 推行两周一迭代的开发节奏，组织站会和复盘;建立需求池并按迭代滚动交付
airflow | data | Airflow | Airflow | Apache Airflow;Airflow调度 | | Airflow DAGs;astronomer airflow | scheduled the nightly pipelines as DAGs with retries and backfills | 用DAG编排每日调度任务，配置失败重试与补数
alibaba-cloud | ops | Alibaba Cloud | 阿里云 | Aliyun;阿里云服务;Alibaba Cloud ECS | ALIYUN | Aliyun ECS/OSS;阿里云ECS | deployed services on ECS instances with OSS for storage and SLB in front | 使用ECS、OSS和SLB搭建线上环境
android | fw | Android | Android | Android development;安卓;安卓开发 | | Android SDK;Android原生开发 | shipped native apps to Google Play with Activities and Fragments;built the app's Gradle modules and Jetpack components | 负责安卓端App的Activity/Fragment开发与上架;基于Jetpack组件开发原生App
angular | fw | Angular | Angular | Angular 2+;AngularJS;Angular框架 | NG | Angular Material | built single-page admin consoles with components, services and RxJS | 用组件化和RxJS搭建单页管理后台
ansible | ops | Ansible | Ansible | Ansible playbooks;Ansible自动化 | | Ansible Tower;AWX | automated server configuration with playbooks and roles | 编写playbook批量完成服务器配置与发布
auditing | biz | Auditing | 审计 | internal audit;audit;内部审计;内审 | | statutory audit;审计工作底稿 | tested internal controls and prepared audit working papers | 执行内控测试并编制审计工作底稿
aws | ops | AWS | AWS | Amazon Web Services;亚马逊云;AWS云 | | Amazon cloud;EC2/S3 | ran workloads on EC2 and S3 with IAM-managed access;moved services to Lambda and RDS | 将服务迁移到EC2、S3和RDS上运行
axure | tool | Axure | Axure | Axure RP;Axure原型 | | Axure RP 9;AxureRP | produced clickable wireframes with annotated interactions | 输出可交互的线框原型并标注交互说明
brand-management | biz | Brand management | 品牌管理 | brand strategy;branding;品牌建设;品牌策略 | | brand stewardship;品牌运营 | kept the brand's tone and visual identity consistent across channels | 统一各渠道的品牌调性与视觉规范，维护品牌形象
budgeting | biz | Budgeting | 预算管理 | budget planning;budget management;预算编制;全面预算 | | cost budgeting;预算控制 | prepared the annual budget and tracked spending against it monthly | 编制年度预算并按月跟踪执行偏差
business-development | biz | Business development | 商务拓展 | BD work;biz dev;市场拓展;业务拓展 | BD | partnership development;渠道拓展 | opened new partner channels and closed the first deals in a new region | 开拓新的合作渠道并签下区域首批合作伙伴
ci-cd | ops | CI/CD | CI/CD | continuous integration;continuous delivery;持续集成;持续交付 | CICD | build pipelines;DevOps流水线 | set up pipelines that build, test and deploy every merge automatically | 搭建代码合并后自动构建、测试、发布的流水线
clickhouse | data | ClickHouse | ClickHouse | ClickHouse数据库;Click House | CK | columnar OLAP store;列式OLAP | built real-time OLAP reports on a columnar MergeTree store | 基于MergeTree列式存储搭建实时OLAP报表
communication | soft | Communication | 沟通能力 | communication skills;interpersonal skills;沟通表达;沟通协调 | | stakeholder communication;跨部门沟通 | kept stakeholders aligned through weekly updates and clear write-ups | 定期与各方同步进展，推动跨部门对齐
compensation-and-benefits | biz | Compensation and benefits | 薪酬福利 | comp and ben;payroll and benefits;薪酬管理;薪资福利 | C&B | total rewards;薪酬绩效 | ran payroll and designed the salary bands and benefit plans | 负责薪资核算、薪酬带宽设计和福利方案
computer-vision | ml | Computer vision | 计算机视觉 | image recognition;视觉算法;图像识别 | CV | visual perception;图像算法 | trained detection and segmentation models on camera images | 训练目标检测与图像分割模型并部署到摄像头端
content-marketing | biz | Content marketing | 内容营销 | content strategy;内容运营;内容策划 | | brand content;内容种草 | planned and published articles and videos that brought in organic leads | 策划图文和短视频内容，带来自然流量与线索
copywriting | biz | Copywriting | 文案撰写 | copy writing;文案;文案策划 | | ad copy;广告文案 | wrote the ad copy, landing pages and campaign slogans | 撰写广告语、落地页和活动文案
cpp | lang | C++ | C++ | C++11;C++17;cpp | CPP | Modern C++;C plus plus | wrote low-latency services with templates and smart pointers | 使用STL和模板编写高性能服务，处理内存管理与多线程
crm | tool | CRM | CRM | CRM systems;customer relationship management;客户关系管理;CRM系统 | | HubSpot CRM;客户管理系统 | kept every account, contact and deal stage up to date in the customer database | 维护客户档案和商机阶段，跟进客户全生命周期
css | fw | CSS | CSS | CSS3;Cascading Style Sheets;CSS样式 | | Flexbox/Grid;层叠样式表 | built responsive layouts with flexbox, grid and media queries | 用flex布局和媒体查询实现响应式页面
cuda | ml | CUDA | CUDA | CUDA programming;GPU编程;CUDA编程 | | NVIDIA CUDA;CUDA C | wrote custom GPU kernels to speed up model inference | 编写GPU kernel加速模型推理
data-analysis | data | Data analysis | 数据分析 | data analytics;analytics;数据统计分析 | DA | business analytics;经营分析 | dug into funnel data to explain why conversion dropped;built weekly metric reviews from raw data | 拆解漏斗数据定位转化下降原因;基于业务数据产出周度经营分析报告
data-visualization | data | Data visualization | 数据可视化 | data viz;dashboards;可视化;可视化报表 | dataviz | visual analytics;BI看板 | built dashboards and charts that leadership reviewed weekly | 搭建管理层每周查看的数据看板和图表
data-warehouse | data | Data warehouse | 数据仓库 | data warehousing;DWH;数仓;数仓建模 | DW | dimensional modeling;维度建模 | modeled fact and dimension tables in layered ODS/DWD/ADS schemas | 按ODS/DWD/ADS分层建模，设计事实表与维度表
deep-learning | ml | Deep learning | 深度学习 | deep neural networks;neural networks;神经网络;深度神经网络 | DL | DNN modeling;深度模型 | trained multi-layer neural networks on GPUs;designed and trained a transformer-based network | 在GPU上训练多层神经网络模型;设计并训练基于Transformer的网络结构
digital-marketing | biz | Digital marketing | 数字营销 | online marketing;internet marketing;网络营销;线上营销 | | performance marketing;效果营销 | ran paid and organic online campaigns across search and social | 负责线上投放和全渠道推广活动
django | fw | Django | Django | Django framework;Django REST framework;Django框架 | DRF | Django ORM | built the admin and APIs on a batteries-included Python web framework with its ORM | 用Python的MTV框架和自带ORM开发后台与接口
docker | ops | Docker | Docker | Docker containers;containerization;容器化;Docker容器 | | docker-compose;容器技术 | packaged services as container images with multi-stage Dockerfiles | 编写Dockerfile把服务打包成镜像部署
elasticsearch | data | Elasticsearch | Elasticsearch | Elastic Search;ES搜索;ElasticSearch | ES | ELK stack;Elastic | built full-text search with inverted indexes and analyzers | 基于倒排索引和分词器实现全文检索
employee-relations | biz | Employee relations | 员工关系 | employee relations management;员工关系管理;劳动关系 | ER | staff relations;员工关怀 | handled onboarding, exits and workplace disputes | 处理入离职手续和劳动争议，组织员工关怀活动
english | soft | English | 英语 | English proficiency;business English;英文;商务英语 | | fluent English;英语读写 | worked daily with overseas teams in English and wrote English documentation | 日常与海外团队英文沟通，能阅读英文技术文档
erp | tool | ERP | ERP | ERP systems;enterprise resource planning;ERP系统 | | Oracle ERP;用友/金蝶 | configured purchasing and inventory modules of the company's resource-planning system | 负责企业资源计划系统中采购、库存模块的上线
etl | data | ETL | ETL | ETL pipelines;data pipelines;数据抽取;ETL开发 | | extract-transform-load;数据同步 | extracted, cleaned and loaded data from a dozen source systems every night | 从多个业务系统抽取、清洗并加载数据到数仓
excel | tool | Excel | Excel | Microsoft Excel;MS Excel;Excel表格 | XLS | spreadsheets;电子表格 | built pivot tables and VLOOKUP models for the monthly report | 用数据透视表和VLOOKUP制作月度报表
figma | design | Figma | Figma | Figma design;Figma设计 | | FigJam;Figma原型 | maintained the component library and auto-layout frames in a shared design file | 在协作设计工具中维护组件库与自动布局
financial-analysis | biz | Financial analysis | 财务分析 | financial statement analysis;财报分析;经营财务分析 | FA | variance analysis;财务数据分析 | analyzed margins and variances behind the monthly results | 分析月度毛利和费用差异，输出经营建议
financial-modeling | biz | Financial modeling | 财务建模 | financial modelling;valuation models;财务模型 | | DCF modeling;估值建模 | built three-statement and DCF models for investment decisions | 搭建三表联动和DCF估值模型支持投资决策
financial-reporting | biz | Financial reporting | 财务报告 | financial statements;财务报表;报表编制 | | statutory reporting;合并报表 | prepared the monthly P&L, balance sheet and cash-flow statements | 编制月度利润表、资产负债表和现金流量表
flask | fw | Flask | Flask | Flask framework;Flask框架 | | Flask-RESTful;flask微服务 | wrote lightweight Python web services with blueprints | 用轻量级Python Web框架和蓝图开发接口
flink | data | Flink | Flink | Apache Flink;Flink流计算 | | Flink SQL;Blink | built stateful stream processing jobs with event-time windows | 开发基于事件时间窗口的有状态实时计算任务
flutter | fw | Flutter | Flutter | Flutter framework;Flutter跨平台 | | Dart/Flutter;Flutter开发 | built one cross-platform codebase in Dart for both app stores | 使用Dart编写一套代码同时发布双端App
git | tool | Git | Git | GitHub;GitLab;git版本控制 | | version control;版本管理 | managed branches, merge requests and code review for the team | 负责分支管理、代码合并与评审流程
go | lang | Go | Go | Golang;Go语言;go-lang | | Go lang;golang开发 | wrote concurrent services with goroutines and channels | 使用goroutine和channel编写高并发服务
google-analytics | tool | Google Analytics | Google Analytics | GA4;Google Analytics 4;谷歌分析 | GA | Universal Analytics;谷歌统计 | set up site tagging, goals and traffic reports for the marketing site | 配置网站埋点、转化目标和流量报表
grafana | ops | Grafana | Grafana | Grafana dashboards;Grafana监控面板 | | Grafana Loki;监控大盘 | built monitoring dashboards and alert panels for every service | 为各服务搭建监控大盘和告警面板
grpc | fw | gRPC | gRPC | gRPC services;grpc框架 | | protobuf RPC;Protocol Buffers RPC | defined service interfaces in protobuf and generated RPC stubs | 用protobuf定义服务接口并生成RPC调用代码
hadoop | data | Hadoop | Hadoop | Apache Hadoop;HDFS;Hadoop生态 | | MapReduce;Hadoop集群 | ran batch jobs on a large HDFS cluster with MapReduce | 在HDFS集群上运行MapReduce批处理任务
hive | data | Hive | Hive | Apache Hive;HiveQL;Hive SQL | | Hive数仓;HQL | wrote HiveQL queries over partitioned warehouse tables | 编写HQL处理分区表上的离线数据
hris | tool | HRIS | HR系统 | HR information system;Workday;人力资源系统 | | HRMS;北森/Moka | maintained employee records and workflows in the HR information system | 维护人事系统中的员工档案和审批流程
html | fw | HTML | HTML | HTML5;semantic HTML;HTML页面 | | markup;超文本标记 | hand-wrote accessible semantic page markup | 手写语义化、无障碍的页面结构
illustrator | design | Illustrator | Illustrator | Adobe Illustrator;AI矢量 | AI | Adobe AI;矢量绘图 | drew vector icons and illustrations for the brand | 绘制品牌矢量图标和插画
interaction-design | design | Interaction design | 交互设计 | IxD;interaction flows;交互;交互规范 | | microinteractions;动效交互 | designed the flows, states and feedback for every screen | 梳理页面流程和状态，输出交互说明文档
ios | fw | iOS | iOS | iOS development;iPhone development;iOS开发 | | UIKit;SwiftUI | built iPhone apps with UIKit and shipped them to the App Store | 使用UIKit开发iPhone应用并上架App Store
java | lang | Java | Java | Java SE;Java 8;JDK;Java开发 | | J2EE;JVM languages | wrote backend services on the JVM with Maven builds | 基于JVM和Maven构建后端服务，熟悉集合与并发包
javascript | lang | JavaScript | JavaScript | ECMAScript;ES6;Javascript;原生JS | JS | vanilla JS;ES2015+ | wrote browser logic with ES6 modules, promises and async/await | 使用ES6语法、Promise和async/await编写前端逻辑
jenkins | ops | Jenkins | Jenkins | Jenkins pipelines;Jenkinsfile;Jenkins流水线 | | Hudson;Jenkins CI | wrote Jenkinsfile pipelines for build and release jobs | 编写Jenkinsfile配置构建与发布任务
jira | tool | Jira | Jira | JIRA;Atlassian Jira;Jira看板 | | Atlassian;Jira Software | tracked every ticket and sprint on the Atlassian board | 在Atlassian看板上跟踪缺陷和迭代任务
jmeter | tool | JMeter | JMeter | Apache JMeter;Jmeter压测 | | JMeter脚本;jmx scripts | wrote load-test plans with thread groups and assertions | 编写线程组和断言的压测脚本
jupyter | tool | Jupyter | Jupyter | Jupyter Notebook;JupyterLab;Jupyter笔记本 | | IPython notebooks;ipynb | explored data interactively in notebooks and shared them with the team | 在notebook中交互式探索数据并分享分析过程
kafka | data | Kafka | Kafka | Apache Kafka;Kafka消息队列 | | Kafka Streams;Confluent | moved events between services through partitioned topics and consumer groups | 通过分区topic和消费组在服务间传递消息
key-account-management | biz | Key account management | 大客户管理 | key accounts;strategic accounts;大客户销售;KA管理 | KAM | major account management;重点客户维护 | grew and renewed the company's largest enterprise accounts | 负责公司前二十大企业客户的续约与增购
kotlin | lang | Kotlin | Kotlin | Kotlin language;Kotlin语言 | KT | Kotlin coroutines;Kotlin协程 | rewrote the Android modules with coroutines and null-safe types | 使用协程和空安全类型重构安卓模块
kubernetes | ops | Kubernetes | Kubernetes | Kubernetes cluster;K8S集群;kube | K8s | container orchestration;容器编排 | orchestrated containers across clusters with deployments and Helm charts;ran the company's container clusters and rolling upgrades | 容器编排集群的日常维护与扩缩容;用Helm和Deployment管理容器集群发布
labor-law | biz | Labor law | 劳动法 | employment law;劳动法规;劳动合同法 | | labour legislation;劳动法律法规 | kept contracts and dismissals compliant with employment legislation | 依据劳动合同法处理合同签订与解除，规避用工风险
leadership | soft | Leadership | 领导力 | team leadership;people management;团队管理;带团队 | | team building;团队领导 | led a team of eight and ran their one-on-ones and reviews | 带领8人团队，负责招聘、培养和绩效面谈
lean | biz | Lean | 精益管理 | lean manufacturing;Six Sigma;精益生产;六西格玛 | | Kaizen;5S管理 | ran kaizen workshops that cut waste on the line | 推行5S与持续改善，减少产线浪费
linux | ops | Linux | Linux | Linux administration;Ubuntu;CentOS;Linux系统 | | Unix-like systems;GNU/Linux | administered Ubuntu and CentOS servers from the shell | 日常在CentOS服务器上排查问题和部署服务
llm | ml | LLM | 大模型 | large language models;大语言模型;GPT | LLMs | foundation models;AIGC大模型 | fine-tuned and served GPT-style language models with retrieval;built RAG pipelines over company documents | 基于开源大语言模型做微调和RAG检索增强;搭建基于GPT类模型的问答助手
logistics | biz | Logistics | 物流管理 | logistics management;物流;仓储物流 | | freight coordination;物流调度 | coordinated warehousing, carriers and delivery schedules | 协调仓储、承运商和配送排期
machine-learning | ml | Machine learning | 机器学习 | ML modeling;machine-learning models;机器学习算法 | ML | statistical learning;机器学习建模 | trained and deployed a customer churn prediction model;built gradient-boosted models for credit scoring | 训练并上线了用户流失预测模型;基于XGBoost搭建信用评分模型
market-research | biz | Market research | 市场调研 | market analysis;consumer research;市场研究;市场分析 | | competitive research;竞品调研 | ran surveys and competitor studies to size the market | 组织问卷和竞品调研，估算市场规模
microservices | fw | Microservices | 微服务 | microservice architecture;微服务架构;service-oriented architecture | MSA | SOA;服务化架构 | split the monolith into independently deployed services behind a gateway | 将单体应用拆分为独立部署的服务并接入网关
mlops | ml | MLOps | MLOps | ML platform;model deployment;模型部署;机器学习平台 | | ML engineering ops;模型运维 | built model registries, feature stores and automated retraining | 搭建模型注册、特征平台和自动重训流程
mongodb | data | MongoDB | MongoDB | Mongo;MongoDB数据库 | | document database;文档数据库 | stored flexible JSON documents with replica sets and aggregation pipelines | 用文档型数据库的副本集与聚合管道存储业务数据
mysql | data | MySQL | MySQL | MySQL database;MariaDB;MySQL数据库 | | InnoDB;MySQL主从 | tuned InnoDB indexes and slow queries on the main relational database | 优化InnoDB索引和慢查询，搭建主从复制
negotiation | biz | Negotiation | 商务谈判 | negotiation skills;contract negotiation;谈判;谈判技巧 | | deal-making;议价 | negotiated pricing and terms with suppliers and customers | 与供应商和客户谈判价格与合同条款
new-media-operations | biz | New media operations | 新媒体运营 | social media operations;公众号运营;新媒体 | | WeChat official account ops;小红书/抖音运营 | ran the WeChat official account and short-video channels | 负责公众号和抖音账号的日常内容与涨粉
nextjs | fw | Next.js | Next.js | NextJS;Next框架 | | Next 13;Next.js SSR | built server-rendered React pages with file-based routing | 基于React的服务端渲染框架开发官网，使用文件路由
nginx | ops | Nginx | Nginx | NGINX;nginx反向代理 | | OpenResty;Tengine | configured the reverse proxy, load balancing and TLS termination | 配置反向代理、负载均衡和HTTPS证书
nlp | ml | NLP | 自然语言处理 | natural language processing;text mining;文本挖掘 | | computational linguistics;语义理解 | built text classification and named-entity recognition models | 开发文本分类和命名实体识别模型
nodejs | fw | Node.js | Node.js | NodeJS;Node;Express | | Node.js/Express;node服务端 | wrote server-side JavaScript services with Express and npm | 用Express编写服务端JavaScript接口
numpy | fw | NumPy | NumPy | Numpy;numpy数组 | NP | numerical Python;ndarray | vectorized numerical code with ndarrays and broadcasting | 使用ndarray和广播机制向量化数值计算
objective-c | lang | Objective-C | Objective-C | ObjC;Objective C | OC | Obj-C;OC开发 | maintained the legacy iOS codebase written with message passing and ARC | 维护基于消息机制和ARC的老版iOS代码
pandas | fw | pandas | pandas | Pandas;Python pandas | PD | DataFrame library;pandas数据处理 | cleaned and reshaped data with DataFrames and groupby | 用DataFrame清洗数据并做分组聚合
performance-management | biz | Performance management | 绩效管理 | performance appraisal;OKR management;绩效考核;KPI考核 | PM | OKR/KPI design;绩效体系 | designed the OKR and KPI review cycle for the whole company | 设计公司OKR/KPI考核体系并组织季度评估
performance-testing | tool | Performance testing | 性能测试 | load testing;stress testing;压力测试;压测 | | benchmarking;全链路压测 | ran load and stress tests and found the throughput bottlenecks | 组织全链路压测，定位吞吐瓶颈
photoshop | design | Photoshop | Photoshop | Adobe Photoshop;PS修图 | PS | Adobe PS;PhotoShop | retouched product photos and made banner artwork | 负责商品图精修和活动banner制作
postgresql | data | PostgreSQL | PostgreSQL | Postgres;PostgreSQL数据库 | PG | psql;pgsql | designed schemas and tuned queries on Postgres with JSONB columns | 基于Postgres设计表结构并优化JSONB查询
postman | tool | Postman | Postman | Postman collections;Postman接口测试 | | Newman;postman脚本 | wrote API test collections and ran them in CI | 编写接口测试集合并集成到流水线运行
presentation | soft | Presentation | 演讲汇报 | presentation skills;public speaking;PPT汇报;演示 | PPT | keynote decks;路演 | presented quarterly results to executives and clients | 向管理层和客户做季度汇报与方案演示
problem-solving | soft | Problem solving | 解决问题能力 | problem-solving skills;troubleshooting;问题解决;分析解决问题 | | root-cause analysis;复盘改进 | tracked down root causes of recurring incidents and fixed them for good | 定位反复出现问题的根因并彻底解决
procurement | biz | Procurement | 采购管理 | purchasing;sourcing;采购;供应商管理 | | strategic sourcing;招标采购 | sourced suppliers, ran tenders and issued purchase orders | 负责供应商寻源、招标和下达采购订单
product-management | biz | Product management | 产品管理 | product ownership;产品规划;产品设计 | PM | product strategy;产品全生命周期 | owned the roadmap and prioritized features from discovery to launch | 负责产品路线图规划和需求优先级，从0到1推动上线
project-management | biz | Project management | 项目管理 | project planning;program management;项目统筹;项目推进 | PM | PMO;项目管控 | planned milestones, managed risks and delivered the rollout on schedule | 制定里程碑计划，管理风险并按期交付
prometheus | ops | Prometheus | Prometheus | Prometheus monitoring;Prometheus监控 | | PromQL;Alertmanager | instrumented services with metrics exporters and PromQL alerts | 接入指标exporter并编写PromQL告警规则
prototyping | design | Prototyping | 原型设计 | wireframing;mockups;原型;线框图 | | low-fi prototypes;高保真原型 | turned requirements into clickable wireframes for user testing | 把需求转化为可点击的高保真原型用于测试
python | lang | Python | Python | Python 3;python3;Python开发 | PY | CPython;Python编程 | wrote automation scripts and services with pip-managed virtualenvs | 编写.py脚本和服务，使用pip与虚拟环境管理依赖
pytorch | ml | PyTorch | PyTorch | Pytorch;torch;PyTorch框架 | PT | Torch;PyTorch Lightning | trained models with torch autograd and DataLoaders | 基于torch的自动求导和DataLoader训练模型
r | lang | R | R语言 | R language;RStudio;R programming | | tidyverse;ggplot2 | analyzed survey data with tidyverse and ggplot2 | 用tidyverse和ggplot2做统计分析与作图
rabbitmq | data | RabbitMQ | RabbitMQ | Rabbit MQ;RabbitMQ消息队列 | MQ | AMQP broker;AMQP | decoupled services through AMQP exchanges and queues | 基于AMQP的交换机和队列实现服务解耦
react | fw | React | React | React.js;ReactJS;React Hooks | | React 18;React全家桶 | built UI components with hooks, JSX and a virtual DOM | 使用Hooks和JSX开发组件化页面
react-native | fw | React Native | React Native | ReactNative;React-Native | RN | RN跨端;RN开发 | built cross-platform mobile screens in JavaScript with native bridges | 用JavaScript开发跨端移动页面并编写原生桥接
recruitment | biz | Recruitment | 招聘 | recruiting;talent acquisition;人才招聘;招聘管理 | TA | headhunting;校园招聘 | hired forty engineers a year through campus and social channels | 负责社招和校招，年度招聘40余人
redis | data | Redis | Redis | Redis cache;Redis缓存;Redis集群 | | Redis Cluster;Codis | cached hot data in an in-memory key-value store with expiry and locks | 使用内存键值缓存热点数据，实现分布式锁
requirements-analysis | biz | Requirements analysis | 需求分析 | requirements gathering;business analysis;需求调研;需求梳理 | BA | PRD writing;需求文档 | gathered stakeholder needs and wrote PRDs with acceptance criteria | 调研业务方诉求，输出PRD和验收标准
rest-api | fw | REST API | RESTful API | RESTful APIs;REST;API设计;接口设计 | | HTTP/JSON APIs;OpenAPI | designed resource-oriented HTTP JSON endpoints with OpenAPI docs | 设计资源化的HTTP/JSON接口并维护OpenAPI文档
sales | biz | Sales | 销售 | selling;B2B sales;销售管理;渠道销售 | | solution selling;顾问式销售 | hit 120% of quota selling to mid-sized companies | 完成年度业绩指标的120%，负责中型企业客户
salesforce | tool | Salesforce | Salesforce | Salesforce CRM;SFDC;Salesforce系统 | SF | Sales Cloud;force.com | managed the pipeline and forecasts in Sales Cloud | 在Sales Cloud中管理销售漏斗与预测
sap | tool | SAP | SAP | SAP ERP;SAP FICO;SAP系统 | | S/4HANA;SAP FI/CO | posted and reconciled entries in S/4HANA finance modules | 在S/4HANA财务模块中处理凭证和对账
sass | fw | Sass | Sass | SCSS;Sass/SCSS;sass预处理 | | CSS preprocessor;Less/SCSS | organized styles with CSS preprocessor variables and mixins | 使用CSS预处理器的变量和mixin组织样式
scala | lang | Scala | Scala | Scala language;Scala语言 | | Scala 2.12;Akka | wrote Spark jobs in a functional JVM language | 使用函数式JVM语言编写Spark作业
scikit-learn | ml | scikit-learn | scikit-learn | sklearn;Scikit-learn;scikit learn | SKL | sk-learn;scikit库 | built pipelines with sklearn-style estimators, cross-validation and grid search | 用交叉验证和网格搜索调优分类模型
scrum | biz | Scrum | Scrum | Scrum framework;Scrum敏捷 | | sprint planning;Scrum Master | acted as scrum master running planning, stand-ups and reviews | 担任Scrum Master组织迭代计划会和评审会
selenium | tool | Selenium | Selenium | Selenium WebDriver;Selenium自动化 | | WebDriver;Selenium Grid | automated browser regression suites with WebDriver | 用WebDriver编写浏览器回归自动化脚本
sem | biz | SEM | SEM | search engine marketing;paid search;搜索引擎营销;竞价推广 | PPC | Google Ads;百度竞价 | managed keyword bids and paid search budgets | 负责关键词出价和搜索竞价广告预算
seo | biz | SEO | SEO | search engine optimization;搜索引擎优化;SEO优化 | | organic search;站内优化 | grew organic search traffic through keyword research and on-page fixes | 通过关键词研究和站内优化提升自然搜索流量
shell-scripting | ops | Shell scripting | Shell脚本 | Bash;bash scripting;shell编程;Shell | SH | bash/zsh;Linux脚本 | automated routine ops tasks with bash scripts and cron | 用bash脚本和crontab自动化日常运维
sketch | design | Sketch | Sketch | Sketch App;Sketch设计 | | Sketch symbols;sketch插件 | built screens with symbols and shared libraries on the Mac design tool | 在Mac设计工具中使用symbol组件绘制界面
social-media-marketing | biz | Social media marketing | 社交媒体营销 | social media;social marketing;社媒营销;社交营销 | SMM | influencer marketing;KOL投放 | ran campaigns and influencer partnerships on social platforms | 负责社交平台投放和KOL合作
software-testing | tool | Software testing | 软件测试 | QA testing;manual testing;功能测试;测试用例设计 | QA | black-box testing;黑盒测试 | wrote test cases and ran regression before every release | 编写测试用例并在每次发版前执行回归测试
spark | data | Spark | Spark | Apache Spark;PySpark;Spark SQL | | Spark Streaming;Spark计算 | processed terabytes with distributed RDD and DataFrame jobs | 使用分布式RDD和DataFrame处理TB级数据
spring-boot | fw | Spring Boot | Spring Boot | SpringBoot;Spring;Spring Cloud;Spring框架 | SB | Spring MVC;SSM框架 | built Java services with auto-configuration and starters | 基于自动配置和starter快速搭建Java服务
sql | lang | SQL | SQL | SQL queries;T-SQL;SQL语句 | | structured query language;SQL查询 | wrote complex joins and window functions for reporting | 编写多表关联和窗口函数查询出报表
sqlite | data | SQLite | SQLite | SQLite3;sqlite数据库 | | embedded database;嵌入式数据库 | stored offline app data in an embedded on-device database | 使用端上嵌入式数据库存储离线数据
statistics | data | Statistics | 统计学 | statistical analysis;统计分析;数理统计 | STATS | inferential statistics;假设检验 | ran hypothesis tests and regressions to check the results | 用假设检验和回归分析验证结论
supply-chain-management | biz | Supply chain management | 供应链管理 | supply chain;供应链;供应链运营 | SCM | demand planning;供需计划 | balanced demand plans, inventory and supplier lead times | 统筹需求计划、库存水位和供应商交期
swift | lang | Swift | Swift | Swift 5;Swift语言;SwiftUI | | Swift开发;Swift编程 | wrote the new iOS screens with protocols and optionals | 用协议和可选类型编写新版iOS页面
tableau | tool | Tableau | Tableau | Tableau Desktop;Tableau报表 | | Tableau Server;tableau可视化 | published interactive workbooks on Tableau Server | 在BI服务器上发布交互式工作簿
tax | biz | Tax | 税务 | taxation;tax compliance;税务申报;纳税筹划 | | VAT filing;增值税申报 | filed VAT and corporate income tax returns | 负责增值税和企业所得税申报
teamwork | soft | Teamwork | 团队合作 | collaboration;team player;团队协作;协作 | | cross-functional work;跨团队协作 | worked closely with design, QA and ops to ship each release | 与设计、测试、运维紧密配合完成每次发布
tensorflow | ml | TensorFlow | TensorFlow | Tensorflow;TF2;Keras | TF | TensorFlow Serving;TF框架 | built and served models with Keras layers and TF Serving | 使用Keras搭建模型并通过TF Serving上线
terraform | ops | Terraform | Terraform | Terraform IaC;HashiCorp Terraform | TF | infrastructure as code;基础设施即代码 | managed cloud resources as code with modules and remote state | 以代码方式管理云资源，编写module和remote state
test-automation | tool | Test automation | 自动化测试 | automated testing;automation testing;自动化测试框架;接口自动化 | | pytest/unittest automation;UI自动化 | built an automated regression suite that runs on every commit | 搭建每次提交自动运行的回归测试框架
training-and-development | biz | Training and development | 培训与发展 | L&D;employee training;培训管理;培训体系 | T&D | learning and development;人才发展 | designed onboarding and leadership courses for new managers | 搭建新员工入职和管理者培训课程体系
typescript | lang | TypeScript | TypeScript | Typescript;TS开发 | TS | typed JavaScript;TSX | migrated the front end to typed JavaScript with strict mode | 将前端代码迁移到带类型的JavaScript并开启严格模式
ui-design | design | UI design | UI设计 | user interface design;visual design;界面设计;视觉设计 | UI | GUI design;视觉稿 | designed the visual style, icons and screens of the app | 负责App界面视觉风格、图标和页面设计
user-research | design | User research | 用户研究 | user interviews;usability testing;用户调研;可用性测试 | UR | ethnographic research;用户访谈 | interviewed users and ran usability sessions to find pain points | 组织用户访谈和可用性测试，挖掘痛点
ux-design | design | UX design | 用户体验设计 | user experience design;用户体验;体验设计 | UX | experience design;UE设计 | mapped user journeys and redesigned the onboarding flow | 梳理用户旅程并重新设计新手引导流程
vue | fw | Vue | Vue | Vue.js;Vue3;VueJS;Vue全家桶 | | Vuex/Pinia;Nuxt | built pages with single-file components and Vuex state | 使用单文件组件和Vuex状态管理开发页面
webpack | fw | Webpack | Webpack | webpack config;Webpack打包 | WP | module bundler;前端构建工具 | tuned the bundler config with loaders, code splitting and tree shaking | 配置loader、代码分割和tree shaking优化打包体积
wechat-mini-program | fw | WeChat Mini Program | 微信小程序 | WeChat mini-programs;小程序开发;小程序 | | Taro/uni-app;wxapp | built mini-apps that run inside WeChat with its native components | 开发运行在微信内的轻应用，使用原生组件与云开发
"""
