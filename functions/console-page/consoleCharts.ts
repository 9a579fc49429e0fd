import uPlot from "uplot";
import type { DayRow } from "../src/consoleEndpoint/consoleSeries";

/*
 * One chart: a uPlot canvas over the days, and beside it the same numbers as a table for screen
 * readers (visually hidden; the canvas is aria-hidden). Charts share the x axis: one point a day.
 */

export interface Line {
  label: string;
  color: string;
  value: (day: DayRow) => number | null;
}

const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
export { el };

/**
 * A table of numbers: the first cell of each row heads it. Each cell carries its column's heading
 * (`data-label`), which a phone-width screen shows beside the value when the rows become cards
 * (public/console/index.html); the ARIA roles keep it a table for screen readers whatever its CSS
 * display.
 */
export function numbersTable(
  caption: string,
  head: string[],
  rows: (string | number)[][],
  className = "",
): HTMLTableElement {
  const cell = (value: string | number, i: number) => {
    const node = i === 0 ? el("th", { scope: "row" }, String(value)) : el("td", {}, String(value));
    node.setAttribute("role", i === 0 ? "rowheader" : "cell");
    node.dataset.label = head[i] ?? "";
    return node;
  };
  const withRole = <T extends HTMLElement>(node: T, role: string): T => {
    node.setAttribute("role", role);
    return node;
  };
  return withRole(
    el(
      "table",
      // "numbers": the phone-width cards apply to these tables, not to uPlot's legend.
      { className: ["numbers", className].filter(Boolean).join(" ") },
      el("caption", {}, caption),
      withRole(
        el(
          "thead",
          {},
          withRole(
            el(
              "tr",
              {},
              ...head.map((h) => withRole(el("th", { scope: "col" }, h), "columnheader")),
            ),
            "row",
          ),
        ),
        "rowgroup",
      ),
      withRole(
        el("tbody", {}, ...rows.map((row) => withRole(el("tr", {}, ...row.map(cell)), "row"))),
        "rowgroup",
      ),
    ),
    "table",
  );
}

/** Draws a chart into `figure`; returns the uPlot to resize with the page. */
export function drawChart(
  figure: HTMLElement,
  title: string,
  dayLabel: string,
  days: DayRow[],
  lines: Line[],
  format: (n: number | null) => string = (n) => (n === null ? "—" : String(n)),
): uPlot {
  figure.replaceChildren();
  const plot = el("div", { className: "plot" });
  plot.setAttribute("aria-hidden", "true");
  figure.append(el("figcaption", {}, title), plot);
  const xs = days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const chart = new uPlot(
    {
      width: Math.max(260, figure.clientWidth || 320),
      height: 180,
      legend: { show: true },
      scales: { x: { time: true } },
      series: [
        // The legend names the x value too: the day, in the page's language (not "Time").
        { label: dayLabel },
        ...lines.map((line) => ({
          label: line.label,
          stroke: line.color,
          width: 2,
          spanGaps: true,
        })),
      ],
      // The y-axis speaks as the table does: dollars with their cents' digits, not rounded to 0.
      axes: [{}, { size: 56, values: (_u, splits) => splits.map((v) => format(v)) }],
    },
    [xs, ...lines.map((line) => days.map((d) => line.value(d)))] as uPlot.AlignedData,
    plot,
  );
  figure.append(
    numbersTable(
      title,
      [dayLabel, ...lines.map((l) => l.label)],
      days.map((d) => [d.date, ...lines.map((l) => format(l.value(d)))]),
      "sr-only",
    ),
  );
  return chart;
}
