import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { FieldValue, Timestamp, type DocumentData } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { db } from "../support/harness";
import { commandEnv, runCommand, startCommand } from "../support/runCommand";

const KB_IMPORT = "src/cli/kbImport.js";
// Compiled tests run from build-dev/test/integration; the fixtures stay in test/fixtures.
const FIXTURE = resolve(__dirname, "../../../test/fixtures/faq");

const FIXTURE_IDS = [
  "cambios-y-devoluciones",
  "envios--cordoba",
  "envios--retiro-en-sucursal",
  "horarios--atienden-los-feriados",
  "horarios--cual-es-el-horario-de-atencion",
  "medios-de-pago--aceptan-transferencia-debito-o-efectivo",
  "medios-de-pago--hacen-factura-a",
  "medios-de-pago--puedo-pagar-en-cuotas",
];

const env = (extra: Record<string, string> = {}) =>
  commandEnv({
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
    GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
    ...extra,
  });

/** A terminal that names no language (C.UTF-8): the workspace's `settings/ai.locale` decides. */
const NEUTRAL_TERMINAL = { LANG: "C.UTF-8" };

/** The fixture folder, copied so a test may change it. */
function copyOfFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-import-"));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const newWorkspace = () => `ws-${randomUUID().slice(0, 8)}`;

async function articles(workspace: string) {
  const snapshot = await db().collection(paths.knowledgeArticles(workspace)).get();
  return new Map(snapshot.docs.map((d) => [d.id, { data: d.data(), updateTime: d.updateTime }]));
}

const importDir = (workspace: string, dir: string, ...flags: string[]) =>
  runCommand(KB_IMPORT, ["--workspace", workspace, "--dir", dir, ...flags], env());

describe("npm run kb:import (a folder of articles into knowledge/)", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const folder = () => {
    const dir = copyOfFixture();
    dirs.push(dir);
    return dir;
  };
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("imports .md, .txt, .csv rows and .json items as articles with ids from their paths", async () => {
    const workspace = newWorkspace();
    const dir = folder();
    const run = await importDir(workspace, dir);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain(
      `Workspace ${workspace}: importing 5 files from ${dir} (1 other file ignored).`,
    );
    expect(run.stdout).to.contain("Writing 8/8…");
    expect(run.stdout).to.contain("new 8, changed 0, unchanged 0, removed 0, skipped 0");

    const stored = await articles(workspace);
    expect([...stored.keys()].sort()).to.deep.equal(FIXTURE_IDS);
    const cordoba = stored.get("envios--cordoba")?.data as DocumentData;
    expect(cordoba).to.deep.include({
      title: "Envíos a Córdoba",
      source: "envios/cordoba.md",
      enabled: true,
    });
    expect(cordoba.body).to.match(/^Hacemos envíos a Córdoba capital en \*\*48 a 72 horas/);
    expect(cordoba.body).to.not.contain("# Envíos");
    expect(cordoba.updatedAt).to.be.instanceOf(Timestamp);
    expect(stored.get("envios--retiro-en-sucursal")?.data).to.deep.include({
      title: "Retiro en sucursal",
      url: "https://ayuda.ejemplo.com/envios/retiro",
      tags: ["envíos", "sucursal"],
    });
    expect(stored.get("cambios-y-devoluciones")?.data.title).to.equal("cambios-y-devoluciones");
    expect(stored.get("medios-de-pago--puedo-pagar-en-cuotas")?.data).to.deep.include({
      title: "¿Puedo pagar en cuotas?",
      body: "Sí, hasta 6 cuotas sin interés con tarjetas de crédito bancarias.\nCon otras tarjetas, hasta 12 cuotas con el interés del banco.",
      url: "https://ayuda.ejemplo.com/pagos/cuotas",
      tags: ["pagos", "cuotas"],
      source: "medios-de-pago.csv",
    });
    expect(
      stored.get("medios-de-pago--aceptan-transferencia-debito-o-efectivo")?.data.body,
    ).to.contain('("cupón de pago", vence en 72 h)');
    expect(stored.get("horarios--cual-es-el-horario-de-atencion")?.data).to.deep.include({
      title: "¿Cuál es el horario de atención?",
      tags: ["horarios"],
      source: "horarios.json",
    });
  });

  it("writes nothing when the folder is imported again unchanged, and only the changed file after an edit", async () => {
    const workspace = newWorkspace();
    const dir = folder();
    expect((await importDir(workspace, dir)).code).to.equal(0);
    const first = await articles(workspace);

    const again = await importDir(workspace, dir);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.contain("Nothing to write: every article is up to date.");
    expect(again.stdout).to.contain("new 0, changed 0, unchanged 8, removed 0, skipped 0");
    expect(again.stdout).to.not.contain("Writing");
    const second = await articles(workspace);
    for (const [id, doc] of first) {
      expect(second.get(id)?.updateTime.isEqual(doc.updateTime), id).to.equal(true);
    }

    writeFileSync(
      join(dir, "envios/cordoba.md"),
      "# Envíos a Córdoba\n\nAhora llegamos en 24 a 48 horas hábiles a Córdoba capital.\n",
    );
    const edited = await importDir(workspace, dir);
    expect(edited.stdout).to.contain("new 0, changed 1, unchanged 7, removed 0, skipped 0");
    const third = await articles(workspace);
    const changed = [...third].filter(
      ([id, doc]) => !doc.updateTime.isEqual(first.get(id)!.updateTime),
    );
    expect(changed.map(([id]) => id)).to.deep.equal(["envios--cordoba"]);
    expect(third.get("envios--cordoba")?.data.body).to.equal(
      "Ahora llegamos en 24 a 48 horas hábiles a Córdoba capital.",
    );
  });

  it("--prune removes the articles of a deleted file or row, never one written by hand", async () => {
    const workspace = newWorkspace();
    const dir = folder();
    expect((await importDir(workspace, dir)).code).to.equal(0);
    await db()
      .doc(paths.knowledgeArticle(workspace, "bienvenida"))
      .set({ title: "Bienvenida", body: "Escrito a mano en la consola.", enabled: true });
    rmSync(join(dir, "cambios-y-devoluciones.txt"));
    writeFileSync(
      join(dir, "medios-de-pago.csv"),
      'pregunta,respuesta,url,tags\n"¿Hacen factura A?","Sí. Cargue su CUIT en Mi cuenta > Datos de facturación antes de comprar; la factura llega por correo.",,facturación\n"¿Aceptan transferencia, débito o efectivo?","Sí: transferencia, débito y efectivo en Rapipago o Pago Fácil (""cupón de pago"", vence en 72 h).",,pagos\n',
    );

    const without = await importDir(workspace, dir);
    expect(without.stdout).to.contain("new 0, changed 0, unchanged 6, removed 0, skipped 0");
    expect(without.stdout).to.contain(
      `2 imported articles are no longer in ${dir} (cambios-y-devoluciones, medios-de-pago--puedo-pagar-en-cuotas): --prune removes them.`,
    );
    expect((await articles(workspace)).size).to.equal(9);

    const pruned = await importDir(workspace, dir, "--prune");
    expect(pruned.code, pruned.stderr).to.equal(0);
    expect(pruned.stdout).to.contain("new 0, changed 0, unchanged 6, removed 2, skipped 0");
    const left = [...(await articles(workspace)).keys()];
    expect(left).to.include("bienvenida");
    expect(left).to.not.include.members([
      "cambios-y-devoluciones",
      "medios-de-pago--puedo-pagar-en-cuotas",
    ]);
    expect(left).to.have.length(7);
  });

  it("reads a relative --dir from where npm run was typed (INIT_CWD), not from functions/", async () => {
    const workspace = newWorkspace();
    const parent = mkdtempSync(join(tmpdir(), "kb-cwd-"));
    dirs.push(parent);
    cpSync(FIXTURE, join(parent, "faq"), { recursive: true });
    const run = await runCommand(KB_IMPORT, ["--workspace", workspace, "--dir", "./faq"], {
      ...env(),
      INIT_CWD: parent,
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain(`Workspace ${workspace}: importing 5 files from ./faq`);
    expect((await articles(workspace)).size).to.equal(8);
  });

  it("--prune on a folder with nothing to import removes nothing and says to check --dir", async () => {
    const workspace = newWorkspace();
    expect((await importDir(workspace, folder())).code).to.equal(0);
    const empty = mkdtempSync(join(tmpdir(), "kb-empty-"));
    dirs.push(empty);
    const run = await importDir(workspace, empty, "--prune");
    expect(run.stdout).to.contain(`--prune ignored: ${empty} holds no file to import`);
    expect((await articles(workspace)).size).to.equal(8);
  });

  it("skips the files it cannot import, saying why in Spanish for an es workspace, and imports the rest", async () => {
    const workspace = newWorkspace();
    await db().doc(paths.aiSettings(workspace)).set({ locale: "es-AR" });
    const dir = folder();
    writeFileSync(join(dir, "vacio.md"), "# Solo el título\n");
    writeFileSync(join(dir, "enorme.txt"), "a".repeat(100_001));
    writeFileSync(join(dir, "tabla.csv"), "titulo;texto\nuno;dos\n");
    // Excel's plain "CSV" on a Spanish Windows: semicolons, Windows-1252.
    writeFileSync(
      join(dir, "excel.csv"),
      Buffer.from("pregunta;respuesta\r\n¿Envían a Salta?;Sí, en 5 días hábiles.\r\n", "latin1"),
    );
    const run = await runCommand(
      KB_IMPORT,
      ["--workspace", workspace, "--dir", dir],
      env(NEUTRAL_TERMINAL),
    );
    expect(run.code).to.equal(1);
    expect(run.stdout.split("\n")).to.include.members([
      `Workspace ${workspace}: importando 9 archivos de ${dir} (1 archivo de otro tipo ignorado).`,
      "nuevos 9, modificados 0, sin cambios 0, eliminados 0, omitidos 3",
      "  omitido enorme.txt: texto de 100001 caracteres, más de 100.000: divídalo en varios archivos",
      "  omitido tabla.csv: no tiene columnas de pregunta/respuesta (encabezado: titulo, texto); llámelas pregunta,respuesta o question,answer",
      "  omitido vacio.md: vacío: no hay texto después del título",
    ]);
    const stored = await articles(workspace);
    expect([...stored.keys()].sort()).to.deep.equal(
      ["excel--envian-a-salta", ...FIXTURE_IDS].sort(),
    );
    expect(stored.get("excel--envian-a-salta")?.data).to.deep.include({
      title: "¿Envían a Salta?",
      body: "Sí, en 5 días hábiles.",
    });
  });

  it("says what to set when there is no Firestore, and what is wrong with the arguments", async () => {
    const none = await runCommand(
      KB_IMPORT,
      ["--workspace", "w", "--dir", FIXTURE],
      commandEnv({
        DEV_STACK_STATE_FILE: join(tmpdir(), `no-stack-${randomUUID()}.json`),
        GOOGLE_CLOUD_PROJECT: "",
        GCLOUD_PROJECT: "",
      }),
    );
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain("FIRESTORE_EMULATOR_HOST");
    const noDir = await runCommand(KB_IMPORT, ["--workspace", "w"], env());
    expect(noDir.code).to.equal(2);
    expect(noDir.stderr).to.contain("--workspace and --dir are required");
    const missing = await runCommand(
      KB_IMPORT,
      ["--workspace", "w", "--dir", "/nonexistent/faq"],
      env(),
    );
    expect(missing.stderr).to.contain("--dir /nonexistent/faq is not a folder.");
  });
});

describe("npm run kb:import --wait (following the backend's indexing)", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** Two small articles, so a test writes their index documents as the backend would. */
  function smallFolder(): string {
    const dir = mkdtempSync(join(tmpdir(), "kb-wait-"));
    dirs.push(dir);
    writeFileSync(join(dir, "envios.md"), "# Envíos\n\nA todo el país en 3 a 5 días hábiles.");
    writeFileSync(join(dir, "pagos.md"), "# Pagos\n\nTarjeta, débito o transferencia.");
    return dir;
  }

  /** What the indexing trigger writes to `knowledgeIndex/{id}`. */
  async function indexAs(workspace: string, states: Record<string, DocumentData>) {
    const batch = db().batch();
    for (const [id, state] of Object.entries(states)) {
      batch.set(db().doc(paths.knowledgeIndex(workspace, id)), {
        model: "text-embedding-nomic-embed-text-v1.5",
        dimensions: 768,
        ...state,
      });
    }
    await batch.commit();
  }

  /** A running command's whole output so far, and a way to wait for a line of it. */
  function follow(workspace: string, dir: string, ...flags: string[]) {
    const child = startCommand(
      KB_IMPORT,
      ["--workspace", workspace, "--dir", dir, "--wait", ...flags],
      env(NEUTRAL_TERMINAL),
    );
    let stdout = "";
    child.stdout?.on("data", (d) => (stdout += d));
    const done = new Promise<number | null>((resolveExit) => child.on("close", resolveExit));
    return {
      done,
      output: () => stdout,
      /** Resolves when the output says `pattern`; fails if the command ends without it. */
      until(pattern: RegExp): Promise<void> {
        return new Promise((resolveSaid, rejectSaid) => {
          const look = () => {
            if (!pattern.test(stdout)) return;
            child.stdout?.off("data", look);
            resolveSaid();
          };
          child.stdout?.on("data", look);
          void done.then(() => {
            child.stdout?.off("data", look);
            if (pattern.test(stdout)) resolveSaid();
            else rejectSaid(new Error(`ended without printing ${pattern}:\n${stdout}`));
          });
          look();
        });
      },
    };
  }

  it("waits through indexing until every written article is ready, printing each state", async () => {
    const workspace = newWorkspace();
    // A previous version's index, older than this import's write: not taken for this one's.
    await indexAs(workspace, {
      envios: {
        status: "ready",
        chunks: 1,
        indexedAt: Timestamp.fromMillis(Date.now() - 3_600_000),
      },
    });
    const run = follow(workspace, smallFolder());
    await run.until(/ready 0, failed 0, indexing 0, waiting 2/);
    await indexAs(workspace, { envios: { status: "indexing" }, pagos: { status: "indexing" } });
    await run.until(/ready 0, failed 0, indexing 2, waiting 0/);
    await indexAs(workspace, {
      envios: { status: "ready", chunks: 1, indexedAt: FieldValue.serverTimestamp() },
      pagos: { status: "ready", chunks: 1, indexedAt: FieldValue.serverTimestamp() },
    });
    expect(await run.done).to.equal(0);
    const lines = run.output().split("\n");
    expect(
      lines.slice(lines.indexOf("Waiting for the index of 2 articles (up to 120 s)…")),
    ).to.deep.equal([
      "Waiting for the index of 2 articles (up to 120 s)…",
      "  ready 0, failed 0, indexing 0, waiting 2",
      "  ready 0, failed 0, indexing 2, waiting 0",
      "Indexed: ready 2, failed 0.",
      "",
    ]);
  });

  it("reports an article the backend could not index with its code and fix, and exits 1", async () => {
    const workspace = newWorkspace();
    await db().doc(paths.aiSettings(workspace)).set({ locale: "es" });
    const run = follow(workspace, smallFolder());
    await run.until(/en espera 2/);
    await indexAs(workspace, {
      envios: { status: "ready", chunks: 1, indexedAt: FieldValue.serverTimestamp() },
      pagos: {
        status: "error",
        indexedAt: FieldValue.serverTimestamp(),
        error: {
          code: "wrong_model_type",
          message:
            'LM Studio at http://localhost:1234/v1 answered 404: Failed to load model "gpt-oss-20b". Error: Model is not embedding.',
          hint: "The model is of the wrong kind for the call…",
        },
      },
    });
    expect(await run.done).to.equal(1);
    const out = run.output();
    expect(out).to.contain("Índice: listos 1, con error 1.");
    expect(out).to.contain(
      '  ✗ pagos: LM Studio at http://localhost:1234/v1 answered 404: Failed to load model "gpt-oss-20b". Error: Model is not embedding. [wrong_model_type]',
    );
    expect(out).to.contain("      solución: El modelo no es del tipo que pide la llamada");
  });

  it("gives up after --timeout with what to check, and exits 1", async () => {
    const run = follow(newWorkspace(), smallFolder(), "--timeout", "1");
    expect(await run.done).to.equal(1);
    expect(run.output()).to.contain(
      "Gave up after 1 s: 2 articles are not indexed yet (envios, pagos). The backend indexes every article written",
    );
    expect(run.output()).to.contain("npm run llm:check");
  });

  it("has nothing to wait for when nothing's text changed", async () => {
    const workspace = newWorkspace();
    const dir = smallFolder();
    expect((await importDir(workspace, dir)).code).to.equal(0);
    const run = follow(workspace, dir);
    expect(await run.done).to.equal(0);
    expect(run.output()).to.contain("Nothing to index: no article's title or text changed.");
  });
});
