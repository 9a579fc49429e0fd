/*
 * The suite's one poll, and why it is one. A port being bound is no event another process can
 * wait on, and a server that prints its banner just before it binds (the firebase-functions
 * binary logs "Serving at port N", then calls listen) may refuse a connection made in between.
 * Callers wait for the banner first, an event; this only covers the few instructions after it,
 * so it seldom tries twice. Anything but a refused connection fails at once.
 */

/** GETs `url`, trying again after a short pause while the connection is refused. */
export async function fetchWhenBound(url: string, failAfterMs = 15_000): Promise<Response> {
  const deadline = Date.now() + failAfterMs;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url);
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if (code !== "ECONNREFUSED" || Date.now() > deadline) {
        throw new Error(`${url} failed after ${attempt} tries: ${err} (${code})`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(10 * attempt, 200)));
    }
  }
}
