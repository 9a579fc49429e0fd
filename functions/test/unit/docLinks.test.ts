import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The READMEs and docs/ link to each other by file and heading. A moved section or a renamed
 * heading breaks a link silently on GitHub; this test finds it. External links are not fetched.
 */

/** The repository root: the compiled test runs from functions/build-dev/test/unit. */
const ROOT = resolve(__dirname, "../../../..");

/** README.md, README.es.md and every docs/**\/*.md, relative to the root. */
function documentationFiles(): string[] {
  const files = ["README.md", "README.es.md"];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith(".md")) files.push(path);
    }
  };
  walk("docs");
  return files;
}

/** The text outside fenced code blocks, line by line (a link or heading in code is not one). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  const lines: string[] = [];
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) lines.push(line);
  }
  return lines;
}

/** GitHub's anchor for a heading: lower case, punctuation but hyphens and spaces removed, spaces → hyphens. */
function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a file offers, with GitHub's -1, -2 … for repeated headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1]);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of the markdown links and images in a file, inline code left out. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const prose = line.replace(/`[^`]*`/g, "code");
    for (const match of prose.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      targets.push(match[1]);
    }
  }
  return targets;
}

/** What is wrong with one relative link of `file`, or null when it resolves. */
function brokenLink(file: string, target: string): string | null {
  const [rawPath, anchor] = target.split("#", 2) as [string, string | undefined];
  const path = decodeURIComponent(rawPath);
  const absolute = path === "" ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), path);
  if (!existsSync(absolute)) return `${target}: no file ${relative(ROOT, absolute)}`;
  if (anchor === undefined || anchor === "") return null;
  if (statSync(absolute).isDirectory() || !absolute.endsWith(".md")) {
    return `${target}: an anchor into ${relative(ROOT, absolute)}, which is not a markdown file`;
  }
  const anchors = anchorsOf(readFileSync(absolute, "utf8"));
  return anchors.has(decodeURIComponent(anchor).toLowerCase())
    ? null
    : `${target}: no heading #${anchor} in ${relative(ROOT, absolute)}`;
}

const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe("documentation links: every relative link in the READMEs and docs/ reaches a file and a heading", () => {
  const files = documentationFiles();

  it("makes GitHub's anchors from headings", () => {
    expect(headingSlug("Health endpoint: `GET /api/ai/health`")).to.equal(
      "health-endpoint-get-apiaihealth",
    );
    expect(headingSlug("Knowledge-grounded suggestions (`flags.rag`)")).to.equal(
      "knowledge-grounded-suggestions-flagsrag",
    );
    expect(headingSlug("Migrating from OpenAI: the guide's four steps")).to.equal(
      "migrating-from-openai-the-guides-four-steps",
    );
    expect(headingSlug("Qué emulador de Firestore se usa")).to.equal(
      "qué-emulador-de-firestore-se-usa",
    );
  });

  it("reads both READMEs and the docs/ pages, English and Spanish", () => {
    expect(files).to.include.members(["README.md", "README.es.md", join("docs", "deploy.md")]);
    expect(files.some((file) => file.startsWith(join("docs", "es") + "/"))).to.equal(true);
    const linksInReadme = linkTargets(readFileSync(join(ROOT, "README.md"), "utf8")).filter(
      (t) => !isExternal(t),
    );
    expect(linksInReadme.length).to.be.above(10);
  });

  for (const file of files) {
    it(`${file}: no broken link`, () => {
      const broken = linkTargets(readFileSync(join(ROOT, file), "utf8"))
        .filter((target) => !isExternal(target))
        .map((target) => brokenLink(file, target))
        .filter((problem): problem is string => problem !== null);
      expect(broken).to.deep.equal([]);
    });
  }
});
