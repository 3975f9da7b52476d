import Platform

extension HTML {
    /// A field whose control the caller writes, handed the aria attributes that tie it to its error.
    mutating func describedField(
        _ key: String, label: String, errors: [String: String], control: (inout HTML, [Attribute]) -> Void
    ) {
        el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), text: label)
            let invalid = errors[key] != nil
            control(&h, [.attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-error" : nil)])
            h.fieldError(errors, key)
        }
    }
}

extension StationListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "科技服务站和专家工作站")
            if let newLink = list.newLink {
                h.el(.div, .class("actions")) { h in h.el(.a, .class("button primary"), .href(newLink), raw: "登记工作站") }
            }
        }
        h.el(.p, .class("muted"), text: "本单位及下级单位建立的学会科技服务站和院士专家工作站。“活动”和“对接”为 \(year) 年的数量。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "名称、依托单位或专家", value: list.q)
            h.selectField("kind", "类型", kinds)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .id("stations"),
            head: { h in
                h.columnHeaders(["名称", "类型", "依托单位", "所在地区", "有效期", "进站专家"])
                h.sortHeader(activitiesHeader)
                h.el(.th, .attr("scope", literal: "col"), text: "\(year)年对接")
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.name) }
                        h.el(.td, text: r.kind)
                        h.el(.td, text: r.host)
                        h.el(.td, text: r.region)
                        h.el(.td) { h in
                            h.text(r.validity)
                            if r.expired {
                                h.raw(" ")
                                h.el(.span, .class("badge red"), raw: "已过期")
                            }
                        }
                        h.el(.td, text: "\(r.experts) 人")
                        h.el(.td, .class("station-activities"), text: String(r.activities))
                        h.el(.td, .class("station-dockings"), text: String(r.dockings))
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 8, "暂无工作站") }
            })
        h.pager(list.pager)
    }
}

extension StationFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "登记工作站")
        h.el(.p, .class("muted"), raw: "登记本单位建立的学会科技服务站或院士专家工作站。进站专家每行填写一位，如“张三 研究员 云海大学”。")
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("station-error"), text: error) }
        h.el(.form, .method("post"), .action(action), .class("card"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.selectField("kind", label: "类型", kinds, errors: errors)
            h.inputField("name", label: "工作站名称", value: values.name, errors: errors, .attr("maxlength", literal: "100"))
            h.inputField("hostName", label: "依托单位", value: values.hostName, errors: errors, .attr("maxlength", literal: "100"))
            h.selectField("hostKind", label: "依托单位类型", hostKinds, errors: errors)
            h.textareaField("experts", label: "进站专家（每行一位）", value: values.experts, errors: errors, .attr("rows", literal: "4"))
            dateField(&h, "validFrom", "有效期开始", values.validFrom)
            dateField(&h, "validUntil", "有效期结束", values.validUntil)
            h.inputField("region", label: "所在地区", value: values.region, errors: errors, .placeholder("如 云海省东港市青石县"))
            h.el(.button, .type("submit"), .class("button primary"), .id("save-station"), raw: "保存")
        }
    }

    private func dateField(_ h: inout HTML, _ key: String, _ label: String, _ value: String?) {
        h.describedField(key, label: label, errors: errors) { h, aria in
            h.void(.input, attributes: [.type("date"), .id(dynamic: key), .name(dynamic: key), .value(value ?? "")] + aria)
        }
    }
}

extension StationPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(listLink), raw: "← 科技服务站和专家工作站") }
        h.el(.h1) { h in
            h.text(name)
            h.raw(" ")
            h.el(.span, .class("badge"), text: kind)
            if expired {
                h.raw(" ")
                h.el(.span, .class("badge red"), .id("station-expired"), raw: "已过期")
            }
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("activity-error"), text: error) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("依托单位", "\(host)（\(hostKind)）")
                h.fact("建站单位", organization)
                h.fact("所在地区", region)
                h.el(.div) { h in
                    h.el(.dt, raw: "有效期")
                    h.el(.dd, .id("station-validity"), text: "\(validFrom) 至 \(validUntil)" + (expired ? "（已过期）" : ""))
                }
            }
            h.el(.h2, raw: "进站专家")
            h.el(.ul, .id("station-experts")) { h in
                for e in experts { h.el(.li, text: e) }
            }
        }
        writeYears(&h)
        writeActivities(&h)
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "促成的对接")
            h.dataTable(
                .id("station-dockings"), head: { h in h.columnHeaders(["技术供给", "技术需求", "阶段", "发起日期", "合同金额（万元）"]) },
                body: { h in
                    for d in dockings {
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.a, .href(d.link), text: d.supply) }
                            h.el(.td) { h in h.el(.a, .href(d.link), text: d.demand) }
                            h.el(.td) { h in h.el(.span, .attr("class", "badge " + d.stageClass), text: d.stage) }
                            h.el(.td, text: d.proposedOn)
                            h.el(.td, text: d.amount)
                        }
                    }
                    if dockings.isEmpty { h.emptyRow(columns: 5, "尚无经本站促成的对接") }
                })
        }
    }

    private func writeYears(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "年度统计")
            h.dataTable(
                .id("station-figures"), .class("dense"),
                head: { h in
                    h.columnHeaders(["年度", "专家服务（次）", "培训（次）", "解决技术难题（项）", "服务人次", "促成对接（项）", "签约（项）", "合同金额（万元）"])
                },
                body: { h in
                    for y in years {
                        h.el(.tr, .id(dynamic: "year-\(y.year)")) { h in
                            h.el(.th, .attr("scope", literal: "row"), text: String(y.year))
                            for value in [y.visits, y.trainings, y.problemsSolved, y.participants, y.dockings, y.signed] {
                                h.el(.td, text: String(value))
                            }
                            h.el(.td, text: y.amount)
                        }
                    }
                })
        }
    }

    private func writeActivities(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("activities")) { h in
            h.el(.div, .class("page-head")) { h in
                h.el(.h2, raw: "活动记录")
                h.el(.span, .class("exports")) { h in
                    h.raw("导出：")
                    h.el(.a, .href(csvLink), raw: "CSV")
                    h.raw(" ")
                    h.el(.a, .href(xlsxLink), raw: "Excel")
                }
            }
            h.el(.form, .method("post"), .action(activityAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.selectField("kind", label: "类型", activityKinds, errors: errors)
                h.describedField("heldOn", label: "日期", errors: errors) { h, aria in
                    h.void(
                        .input,
                        attributes: [.type("date"), .id("heldOn"), .name("heldOn"), .attr("max", today), .value(values.heldOn ?? "")] + aria
                    )
                }
                h.inputField("title", label: "活动内容", value: values.title, errors: errors, .attr("maxlength", literal: "200"))
                h.describedField("participants", label: "参与人数", errors: errors) { h, aria in
                    h.void(
                        .input,
                        attributes: [
                            .id("participants"), .name("participants"), .attr("inputmode", literal: "numeric"),
                            .value(values.participants ?? ""),
                        ] + aria)
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("notes"), raw: "备注")
                    h.void(.input, .id("notes"), .name("notes"), .value(values.notes ?? ""))
                }
                h.el(.button, .type("submit"), .class("button primary"), .id("add-activity"), raw: "登记活动")
            }
            h.dataTable(
                .id("station-activities"), head: { h in h.columnHeaders(["日期", "类型", "活动内容", "参与人数", "备注"]) },
                body: { h in
                    for a in activities {
                        h.el(.tr) { h in
                            h.el(.td, text: a.date)
                            h.el(.td, text: a.kind)
                            h.el(.td, text: a.title)
                            h.el(.td, text: String(a.participants))
                            h.el(.td, text: a.notes)
                        }
                    }
                    if activities.isEmpty { h.emptyRow(columns: 5, "尚无活动记录") }
                })
        }
    }
}

extension BatchUploadPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "批量匹配")
        h.el(.section, .class("card")) { h in
            h.el(
                .p,
                raw: "用于科技对接会：上传会上征集到的需求清单，系统将每项需求与平台上全部已发布的技术供给逐一比对，按匹配度列出最相关的成果及匹配理由（关键词、行业、地区、技术成熟度等），结果为 Excel 表格。")
            h.el(.ul) { h in
                h.el(.li, text: "文件格式：Excel（.xlsx）、CSV（UTF-8 编码）或 JSON Lines（.jsonl），不超过 \(maxMegabytes) MB，一次最多 10000 项需求。")
                h.el(.li, raw: "第 1 行为列名：编号（id）、需求名称（title）、需求描述（description）、行业（industry）、地区（region）；编号和需求名称必填，编号不能重复。")
                h.el(.li, raw: "匹配在后台进行，页面会显示进度；结果保存在下方的记录中，只有发起人可以查看和下载。")
            }
            h.el(.p) { h in h.el(.a, .class("button"), .href(templateLink), .id("batch-template"), raw: "下载 CSV 模板") }
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("batch-error"), text: error) }
        h.el(.form, .method("post"), .action(action), .attr("enctype", literal: "multipart/form-data"), .class("card"), .flag("novalidate"))
        { h in
            shell.writeCSRF(&h)
            h.describedField("file", label: "需求清单", errors: errors) { h, aria in
                h.void(
                    .input, attributes: [.type("file"), .id("file"), .name("file"), .attr("accept", literal: ".xlsx,.csv,.jsonl")] + aria)
            }
            h.describedField("top", label: "每项需求列出的成果数（1–50）", errors: errors) { h, aria in
                h.void(.input, attributes: [.id("top"), .name("top"), .attr("inputmode", literal: "numeric"), .value(top)] + aria)
            }
            h.el(.button, .type("submit"), .class("button primary"), .id("start-batch"), raw: "开始匹配")
        }
        h.el(.section, .class("card"), .id("batch-runs")) { h in
            h.el(.h2, raw: "我的批量匹配记录")
            guard !runs.isEmpty else {
                h.el(.p, .class("muted"), raw: "还没有批量匹配记录。")
                return
            }
            h.dataTable(
                head: { h in h.columnHeaders(["需求清单", "开始时间", "需求数", "状态", "结果"]) },
                body: { h in
                    for r in runs {
                        h.el(.tr) { h in
                            h.el(.td) { h in h.el(.a, .href(r.link), text: r.fileName) }
                            h.el(.td, text: r.startedAt)
                            h.el(.td, text: String(r.total))
                            h.el(.td) { h in h.el(.span, .attr("class", "badge batch-" + r.stateClass), text: r.stateLabel) }
                            h.el(.td) { h in
                                if let link = r.downloadLink { h.el(.a, .href(link), raw: "下载 Excel") } else { h.raw("—") }
                            }
                        }
                    }
                })
            h.el(.p, .class("muted"), raw: "保留最近 20 次，只有本人可见。")
        }
    }
}

extension BatchJobPage: HTMLPage {
    func content(_ h: inout HTML) {
        if running { h.void(.meta, .attr("http-equiv", literal: "refresh"), .attr("content", literal: "1")) }
        h.el(.h1, text: "批量匹配：" + fileName)
        if running {
            h.el(.p, .id("batch-status"), .class("notice"), .role("status"), raw: "正在匹配")
            h.el(.section, .class("card")) { h in
                h.el(.label, .for("batch-progress"), text: "已完成 \(done) / \(total) 项需求（\(percent)%）")
                h.el(.progress, .id("batch-progress"), .value(String(done)), .attr("max", String(total)), text: "\(percent)%")
                h.el(.p, .class("muted"), raw: "页面每秒自动刷新，可以离开此页，稍后从原链接查看结果。")
            }
        } else if let failure {
            h.el(.p, .id("batch-status"), .class("notice error"), .role("alert"), raw: "匹配失败")
            h.el(.section, .class("card")) { h in
                h.el(.p, .class("form-error"), .id("batch-failure"), text: failure)
                h.el(.a, .class("button"), .href(uploadLink), raw: "重新上传")
            }
        } else {
            h.el(.p, .id("batch-status"), .class("notice"), .role("status"), raw: "匹配完成")
            h.el(.section, .class("card")) { h in
                h.el(.progress, .id("batch-progress"), .value(String(total)), .attr("max", String(total)), raw: "100%")
                h.el(.p, .id("batch-result"), text: "共 \(total) 项需求，用时 \(seconds ?? "") 秒。")
                h.el(.div, .class("actions")) { h in
                    if let downloadLink {
                        h.el(.a, .class("button primary"), .href(downloadLink), .id("batch-download"), raw: "下载匹配结果（Excel）")
                    }
                    h.raw(" ")
                    h.el(.a, .class("button"), .href(uploadLink), raw: "匹配另一份清单")
                }
            }
        }
    }
}

extension InnovationFiguresPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in h.el(.h1, raw: "科创对接统计") }
        h.el(.form, .method("get"), .action(path), .class("filters")) { h in
            h.el(.div, .class("field")) { h in
                h.el(.label, .for("year"), raw: "年度")
                h.el(.select, .id("year"), .name("year"), .flag("data-autosubmit")) { h in h.options(years) }
            }
            h.el(.button, .type("submit"), .class("button js-hide"), raw: "查看")
        }
        h.el(.p, .class("muted"), text: "本单位及下级单位 \(year) 年的数字：供需信息按发布日期计，对接按发起日期计，签约和落地按签约、落地日期计。")
        h.el(.div, .class("panels figures-headlines"), .id("figures-headlines")) { h in
            for headline in headlines {
                h.el(.section, .class("card headline"), .id(dynamic: "headline-" + headline.id)) { h in
                    h.el(.p, .class("headline-label"), text: headline.label)
                    h.el(.p, .class("headline-value"), text: headline.value)
                }
            }
        }
        h.el(.section, .class("card chart"), .id(dynamic: "chart-" + stageChart.id)) { h in h.chart(stageChart) }
        for t in tables {
            h.el(.section, .class("card chart"), .id(dynamic: "figures-" + t.id)) { h in
                h.el(.div, .class("page-head")) { h in
                    h.el(.h2, text: t.title)
                    h.el(.span, .class("exports")) { h in
                        h.raw("导出：")
                        h.el(.a, .href(t.csvLink), raw: "CSV")
                        h.raw(" ")
                        h.el(.a, .href(t.xlsxLink), raw: "Excel")
                    }
                }
                guard !t.rows.isEmpty else {
                    h.el(.p, .class("muted"), raw: "该年度没有数据")
                    return
                }
                h.chart(t.chart)
                h.dataTable(
                    .class("dense"), .id(dynamic: "table-" + t.id),
                    head: { h in
                        h.el(.th, .attr("scope", literal: "col"), text: t.column)
                        h.columnHeaders(["技术供给（项）", "技术需求（项）", "对接（项）", "签约（项）", "合同金额（万元）"])
                    },
                    body: { h in
                        for r in t.rows {
                            h.el(.tr) { h in
                                h.el(.td, text: r.name)
                                for value in [r.supplies, r.demands, r.dockings, r.signed] { h.el(.td, text: String(value)) }
                                h.el(.td, text: r.amount)
                            }
                        }
                    })
            }
        }
    }
}
