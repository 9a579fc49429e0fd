import uPlot from "uplot";
import type { DayRow } from "../src/console/consoleSeries";

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

export function numbersTable(
  caption: string,
  head: string[],
  rows: (string | number)[][],
  className = "",
): HTMLTableElement {
  return el(
    "table",
    { className },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el(
      "tbody",
      {},
      ...rows.map((row) =>
        el(
          "tr",
          {},
          ...row.map((cell, i) =>
            i === 0 ? el("th", { scope: "row" }, String(cell)) : el("td", {}, String(cell)),
          ),
        ),
      ),
    ),
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
      "sr-only numbers",
    ),
  );
  return chart;
}
