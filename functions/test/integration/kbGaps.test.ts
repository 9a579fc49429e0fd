import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { utcDay } from "../../src/core/utcDay";
import type { GapEntry } from "../../src/cli/gapReport";
import { db } from "../support/harness";
import { commandEnv, runCommand } from "../support/runCommand";

const KB_GAPS = "src/cli/kbGaps.js";
const DAY_MS = 86_400_000;

const env = () =>
  commandEnv({
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
    GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
  });

/** Gap documents as the backend writes them: one per question and UTC day. */
async function seedGaps(
  workspace: string,
  gaps: { daysAgo: number; key: string; question: string; count: number }[],
) {
  const batch = db().batch();
  for (const gap of gaps) {
    const at = Date.now() - gap.daysAgo * DAY_MS;
    const day = utcDay(at);
    batch.set(db().doc(paths.knowledgeGap(workspace, day, gap.key)), {
      day,
      question: gap.question,
      count: gap.count,
      lastAt: Timestamp.fromMillis(at),
    });
  }
  await batch.commit();
}

describe("npm run kb:gaps (questions no article answered)", function () {
  this.timeout(30_000);
  const gaps = [
    { daysAgo: 0, key: "hacen-envios-a-cordoba", question: "¿Hacen envíos a Córdoba?", count: 3 },
    { daysAgo: 1, key: "hacen-envios-a-cordoba", question: "hacen envios a  cordoba", count: 2 },
    { daysAgo: 1, key: "puedo-pagar-con-qr", question: "¿Puedo pagar con QR?", count: 4 },
    { daysAgo: 10, key: "tienen-local", question: "¿Tienen local a la calle?", count: 9 },
  ];

  it("adds up the same question over the days, most asked first, with the last day asked", async () => {
    const workspace = `ws-${randomUUID().slice(0, 8)}`;
    await seedGaps(workspace, gaps);
    const run = await runCommand(KB_GAPS, ["--workspace", workspace], env());
    expect(run.code, run.stderr).to.equal(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).to.equal(
      `Workspace ${workspace}: unanswered customer questions, ${utcDay(Date.now() - 6 * DAY_MS)} to ${utcDay()}`,
    );
    expect(lines.slice(2)).to.deep.equal([
      "times  last asked  question",
      `    5  ${utcDay()}  ¿Hacen envíos a Córdoba?`,
      `    4  ${utcDay(Date.now() - DAY_MS)}  ¿Puedo pagar con QR?`,
      "",
      "2 of 2 questions. Write an article for each (npm run kb:import) so that suggestions can use it.",
    ]);

    const month = await runCommand(
      KB_GAPS,
      ["--workspace", workspace, "--days", "30", "--json"],
      env(),
    );
    const report = JSON.parse(month.stdout) as { entries: GapEntry[] };
    expect(report.entries.map((e) => [e.question, e.count])).to.deep.equal([
      ["¿Tienen local a la calle?", 9],
      ["¿Hacen envíos a Córdoba?", 5],
      ["¿Puedo pagar con QR?", 4],
    ]);
  });

  it("speaks the workspace's Spanish where the terminal names no language, and says what to do when there is nothing", async () => {
    const workspace = `ws-${randomUUID().slice(0, 8)}`;
    await db().doc(paths.aiSettings(workspace)).set({ locale: "es-AR" });
    // C.UTF-8 names no language (a container's default): the workspace's locale decides.
    const neutral = () => ({ ...env(), LANG: "C.UTF-8" });
    const empty = await runCommand(KB_GAPS, ["--workspace", workspace], neutral());
    expect(empty.code).to.equal(0);
    expect(empty.stdout).to.match(
      /^Sin preguntas sin respuesta en los últimos 7 días\. Se registran cuando settings\/ai\.flags\.rag está activo/,
    );
    await seedGaps(workspace, gaps.slice(0, 2));
    const listed = await runCommand(KB_GAPS, ["--workspace", workspace, "--days", "2"], neutral());
    expect(listed.stdout).to.contain("preguntas de clientes sin respuesta, del");
    expect(listed.stdout).to.match(/ {4}5 {2}\d{4}-\d\d-\d\d {2}¿Hacen envíos a Córdoba\?/);
    expect(listed.stdout).to.contain("1 de 1 pregunta. Escriba un artículo");

    const english = await runCommand(
      KB_GAPS,
      ["--workspace", "ws-nobody", "--days", "1"],
      neutral(),
    );
    expect(english.stdout).to.match(/^No unanswered questions in the last day\. /);
    // An English terminal beats the workspace's Spanish.
    const terminal = await runCommand(KB_GAPS, ["--workspace", workspace, "--days", "2"], env());
    expect(terminal.stdout).to.contain("unanswered customer questions");
  });

  it("speaks a Spanish terminal's language for any workspace, and English with --lang en", async () => {
    const workspace = `ws-${randomUUID().slice(0, 8)}`;
    await db().doc(paths.aiSettings(workspace)).set({ locale: "en-US" });
    await seedGaps(workspace, gaps.slice(0, 1));
    const spanish = { ...env(), LANG: "es_ES.UTF-8" };
    const es = await runCommand(KB_GAPS, ["--workspace", workspace], spanish);
    expect(es.code, es.stderr).to.equal(0);
    const spanishLines = [
      "veces  última vez  pregunta",
      "1 de 1 pregunta. Escriba un artículo para cada una (npm run kb:import) para que las sugerencias puedan usarlo.",
    ];
    // The header, then (after the rows) the summary: in this order, each once.
    expect(es.stdout.split("\n").filter((line) => spanishLines.includes(line))).to.deep.equal(
      spanishLines,
    );
    const en = await runCommand(KB_GAPS, ["--workspace", workspace, "--lang", "en"], spanish);
    expect(en.code, en.stderr).to.equal(0);
    const englishLines = [
      "times  last asked  question",
      "1 of 1 question. Write an article for each (npm run kb:import) so that suggestions can use it.",
    ];
    expect(en.stdout.split("\n").filter((line) => englishLines.includes(line))).to.deep.equal(
      englishLines,
    );
    const wrong = await runCommand(KB_GAPS, ["--workspace", workspace, "--lang", "pt"], spanish);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain("--lang debe ser uno de es, en");
  });

  it("refuses a range it cannot read", async () => {
    const run = await runCommand(KB_GAPS, ["--workspace", "w", "--days", "0"], env());
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain("--days must be a whole number from 1 to 366");
  });
});
