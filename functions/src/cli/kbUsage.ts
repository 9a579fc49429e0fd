import { type Catalog, type Language, messagesFor } from "../core/language";

/*
 * The usage texts and argument errors of `npm run kb:import`, `kb:gaps` and `kb:reindex`, in
 * English and in Spanish (commandLanguage.ts decides). What they print once running is
 * cli/kbMessages.ts's. `firestore` and `lang` are the shared paragraphs on Firestore
 * (workspaceFirestore.ts) and --lang (commandLanguage.ts).
 */
export interface KbUsage {
  importUsage(firestore: string, lang: string): string;
  importArguments: string;
  notAFolder(dir: string): string;
  gapsUsage(firestore: string, lang: string): string;
  gapsArguments: string;
  reindexUsage(firestore: string, lang: string): string;
  reindexArguments: string;
}

const en: KbUsage = {
  importUsage: (
    firestore,
    lang,
  ) => `Usage: npm run kb:import -- --workspace W --dir ./faq [--prune] [--wait [--timeout 120]] [--project P] [--lang es|en]

Imports a folder of help-center articles into workspaces/W/knowledge: every .md and .txt file
(recursively) is one article, titled by its first heading (else its file name); every row of a
.csv (header question,answer or pregunta,respuesta; optional url, tags) or .json list
([{question, answer, url?, tags?}]) is one article too. Ids come from the file paths, so importing
again updates the same articles and an unchanged file writes nothing. --prune deletes imported
articles whose file (or row) is gone. --wait then follows knowledgeIndex until every written
article is indexed, for at most --timeout seconds.
${firestore}
${lang}
Exit code 0 when everything was imported (and indexed), 1 when something was skipped or failed
indexing, 2 for wrong arguments or no Firestore.`,
  importArguments:
    "--workspace and --dir are required; --timeout must be a whole number of seconds from 1 to 3600.",
  notAFolder: (dir) => `--dir ${dir} is not a folder.`,
  gapsUsage: (
    firestore,
    lang,
  ) => `Usage: npm run kb:gaps -- --workspace W [--days 7] [--top 20] [--project P] [--json] [--lang es|en]

The customer questions no knowledge article answered over the last days (knowledgeGaps), the same
question on several days or spelled differently counted once, most asked first: what to write
next. ${firestore}
--json prints JSON only (run it as \`npm run -s\`).
${lang}`,
  gapsArguments:
    "--workspace is required; --days must be a whole number from 1 to 366, --top from 1 to 1000.",
  reindexUsage: (
    firestore,
    lang,
  ) => `Usage: npm run kb:reindex -- --workspace W [--force] [--project P] [--lang es|en]

Indexes every article of the workspace's knowledge base again with the embedding model of its
settings (settings/ai.tasks.embeddings.model), from this machine: run it beside LM Studio (it uses
LLM_STUDIO_URL). Articles already indexed with that model cost no embedding call; --force embeds
them all again. Retries the articles whose indexing failed. ${firestore}
${lang}`,
  reindexArguments: "--workspace is required.",
};

const es: KbUsage = {
  importUsage: (
    firestore,
    lang,
  ) => `Uso: npm run kb:import -- --workspace W --dir ./faq [--prune] [--wait [--timeout 120]] [--project P] [--lang es|en]

Importa una carpeta de artículos de ayuda en workspaces/W/knowledge: cada archivo .md y .txt
(también en subcarpetas) es un artículo, titulado por su primer encabezado (si no, por el nombre
del archivo); cada fila de un .csv (encabezado pregunta,respuesta o question,answer; url y tags
opcionales) o de una lista .json ([{question, answer, url?, tags?}]) también es un artículo. Los
ids salen de las rutas de los archivos: importar de nuevo actualiza los mismos artículos, y un
archivo sin cambios no escribe nada. --prune elimina los artículos importados cuyo archivo (o fila)
ya no está. --wait sigue después knowledgeIndex hasta que cada artículo escrito esté indexado,
durante --timeout segundos como máximo.
${firestore}
${lang}
Código de salida 0 si se importó (e indexó) todo, 1 si algo se omitió o falló al indexarse, 2 por
argumentos incorrectos o si no hay Firestore.`,
  importArguments:
    "--workspace y --dir son obligatorios; --timeout debe ser un número entero de segundos entre 1 y 3600.",
  notAFolder: (dir) => `--dir ${dir} no es una carpeta.`,
  gapsUsage: (
    firestore,
    lang,
  ) => `Uso: npm run kb:gaps -- --workspace W [--days 7] [--top 20] [--project P] [--json] [--lang es|en]

Las preguntas de clientes que ningún artículo respondió en los últimos días (knowledgeGaps), la
misma pregunta en varios días o escrita de otra forma contada una vez, las más preguntadas
primero: lo próximo que conviene escribir. ${firestore}
--json imprime solo JSON (ejecútelo como \`npm run -s\`).
${lang}`,
  gapsArguments:
    "--workspace es obligatorio; --days debe ser un número entero entre 1 y 366, --top entre 1 y 1000.",
  reindexUsage: (
    firestore,
    lang,
  ) => `Uso: npm run kb:reindex -- --workspace W [--force] [--project P] [--lang es|en]

Vuelve a indexar cada artículo de la base de conocimiento del workspace con el modelo de
embeddings de su configuración (settings/ai.tasks.embeddings.model), desde esta máquina: ejecútelo
junto a LM Studio (usa LLM_STUDIO_URL). Los artículos ya indexados con ese modelo no cuestan
ninguna llamada de embeddings; --force los vuelve a procesar todos. Reintenta los artículos cuya
indexación falló. ${firestore}
${lang}`,
  reindexArguments: "--workspace es obligatorio.",
};

const catalog: Catalog<KbUsage> = { en, es };

export const kbUsage = (language: Language): KbUsage => messagesFor(catalog, language);
