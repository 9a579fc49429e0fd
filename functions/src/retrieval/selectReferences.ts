/*
 * Which of the nearest chunks go into a suggestion's prompt, and how the sources read. Pure.
 */

export interface NearChunk {
  articleId: string;
  title: string;
  url?: string;
  text: string;
  position: number;
  /** Cosine distance to the question: 0 is the same direction, 1 unrelated. */
  distance: number;
}

export interface KnowledgeSource {
  articleId: string;
  title: string;
  url?: string;
  distance: number;
}

export interface SelectionLimits {
  topK: number;
  perArticle: number;
  charBudget: number;
}

/**
 * Nearest first: at most `topK` chunks, `perArticle` of one article, and `charBudget` characters
 * of chunk text in all (a chunk that would overflow it is passed over for a shorter one). Two
 * chunks of one article read in the article's order, where the second follows the first.
 */
export function selectReferences(near: NearChunk[], limits: SelectionLimits): NearChunk[] {
  const chosen: NearChunk[] = [];
  const perArticle = new Map<string, number>();
  let chars = 0;
  for (const chunk of [...near].sort((a, b) => a.distance - b.distance)) {
    if (chosen.length >= limits.topK) break;
    const count = perArticle.get(chunk.articleId) ?? 0;
    if (count >= limits.perArticle) continue;
    if (chars + chunk.text.length > limits.charBudget) continue;
    chosen.push(chunk);
    perArticle.set(chunk.articleId, count + 1);
    chars += chunk.text.length;
  }
  // Group an article's chunks together, at the place of its nearest one.
  const order = [...new Set(chosen.map((c) => c.articleId))];
  return order.flatMap((id) =>
    chosen.filter((c) => c.articleId === id).sort((a, b) => a.position - b.position),
  );
}

/** One source per article, in prompt order, with its nearest chunk's distance. */
export function sourcesOf(references: NearChunk[]): KnowledgeSource[] {
  const sources = new Map<string, KnowledgeSource>();
  for (const ref of references) {
    const known = sources.get(ref.articleId);
    if (known) {
      known.distance = Math.min(known.distance, ref.distance);
      continue;
    }
    sources.set(ref.articleId, {
      articleId: ref.articleId,
      title: ref.title,
      ...(ref.url ? { url: ref.url } : {}),
      distance: ref.distance,
    });
  }
  return [...sources.values()];
}

/**
 * The text a question is embedded from: the customer's messages since the agent's last reply,
 * newest kept when they run over `maxChars` (the newest is what needs answering).
 */
export function questionText(inboundSinceReply: string[], maxChars = 1_000): string {
  const joined = inboundSinceReply
    .map((t) => t.trim())
    .filter((t) => t !== "")
    .join("\n");
  return joined.length <= maxChars ? joined : joined.slice(joined.length - maxChars).trimStart();
}
