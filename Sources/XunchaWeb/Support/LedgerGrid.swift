import XunchaCore

/// A ledger page's table read like the spreadsheet it replaces: headers that sort (in SQL, by the
/// address's `sort`/`order`), columns the reader hides or shows (the address's `cols` lists the
/// shown ones, so it works without JavaScript and survives a bookmark), and a 合计 row counted by
/// the store over the whole filtered list.
struct LedgerGrid {
    /// A column: its key in `cols`, its header, the store's sort key when it sorts, its cell for a
    /// row and its total when it has one.
    struct Column<Item> {
        let key: String
        let label: String
        let sort: String?
        let usual: XunchaCore.SortOrder
        let cell: (Item) -> Cell

        init(_ key: String, _ label: String, sort: String? = nil, usual: XunchaCore.SortOrder = .ascending, _ cell: @escaping (Item) -> Cell) {
            self.key = key
            self.label = label
            self.sort = sort
            self.usual = usual
            self.cell = cell
        }
    }

    /// A cell: its text, and optionally a link, a badge's class and the cell's own class.
    struct Cell {
        let text: String
        var href: String? = nil
        var badge: String? = nil
        var style: String? = nil
        /// The column's header, which a stacked card on a phone shows beside a totals cell.
        var label: String? = nil

        static func plain(_ text: String) -> Cell { Cell(text: text) }
        static func prose(_ text: String, href: String? = nil) -> Cell { Cell(text: text, href: href, style: "prose") }
        static func code(_ text: String, href: String? = nil) -> Cell { Cell(text: text, href: href, style: "mono") }
    }

    struct Header {
        let label: String
        let sort: SortHeader?
    }

    /// A checkbox of the column chooser.
    struct Choice {
        let key: String
        let label: String
        let shown: Bool
    }

    /// A filter the chooser's form carries along unchanged.
    struct Kept {
        let name: String
        let value: String
    }

    let headers: [Header]
    /// The rows as markup (`<tr>…</tr>` each): written here rather than by the template, whose
    /// look-ups per cell cost more than the rest of the page together.
    let body: String
    /// The 合计 row, one cell per shown column (empty where a column has no total).
    let totals: [Cell]
    let hasTotals: Bool
    let choices: [Choice]
    let kept: [Kept]
    let action: String
    /// The link showing every column again, and how many are hidden, when some are.
    let allColumnsHref: String?
    let hiddenCount: Int?

    init<Item>(
        _ columns: [Column<Item>], items: [Item], totals: [String: String]?, address: ListAddress, sortedBy own: String, _ order: XunchaCore.SortOrder = .ascending
    ) {
        let asked = Set((address.parameters["cols"] ?? "").split(separator: ",").map(String.init))
        // Unknown keys are ignored; a list naming no known column shows them all.
        let shown = columns.filter { asked.contains($0.key) }.isEmpty ? columns : columns.filter { asked.contains($0.key) }
        let current = address.sorted(by: own, order)
        headers = shown.map { column in
            Header(label: column.label, sort: column.sort.map { address.sortHeader($0, column.label, current: current, usual: column.usual) })
        }
        body = Self.markup(items.map { item in shown.map { $0.cell(item) } })
        self.totals = totals.map { totals in
            shown.enumerated().map { index, column in
                Cell(text: index == 0 ? "合计" + (totals[column.key].map { "：" + $0 } ?? "") : totals[column.key] ?? "", label: column.label)
            }
        } ?? []
        hasTotals = totals != nil
        choices = columns.map { column in Choice(key: column.key, label: column.label, shown: shown.contains { $0.key == column.key }) }
        kept = address.parameters.filter { !["cols", "cursor"].contains($0.key) && !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { Kept(name: $0.key, value: $0.value) }
        action = address.path
        allColumnsHref = shown.count == columns.count ? nil : ListLink.make(address.path, address.parameters, ["cols": nil, "cursor": nil])
        hiddenCount = shown.count == columns.count ? nil : columns.count - shown.count
    }

    var isEmpty: Bool { body.isEmpty }

    /// `<tr><td class="style"><a href="href"><span class="badge b">text</span></a></td>…</tr>` per row,
    /// every value escaped; the parts a cell lacks are left out.
    static func markup(_ rows: [[Cell]]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 1024)
        for cells in rows {
            html += "<tr>"
            for cell in cells {
                if let style = cell.style { html += "<td class=\"" + Markup.escaped(style) + "\">" } else { html += "<td>" }
                if let href = cell.href { html += "<a href=\"" + Markup.escaped(href) + "\">" }
                if let badge = cell.badge { html += "<span class=\"badge " + Markup.escaped(badge) + "\">" }
                html += Markup.escaped(cell.text)
                if cell.badge != nil { html += "</span>" }
                if cell.href != nil { html += "</a>" }
                html += "</td>"
            }
            html += "</tr>"
        }
        return html
    }
}
