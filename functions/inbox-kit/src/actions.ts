import { getAuth } from "firebase/auth";
import {
  addDoc,
  collection,
  doc,
  type FieldValue,
  type Firestore,
  onSnapshot,
  serverTimestamp,
  setDoc,
} from "firebase/firestore";
import type { AiRequestCreate, OutboundMessageCreate } from "../../src/contract/documents";
import { paths } from "../../src/core/paths";
import { MAX_REPLY_OPTIONS } from "../../src/core/vocabulary";
import { actionError } from "./actionError";
import type { ActionResult, AiRequest, ConversationRef, ProviderId, Tone } from "./types";

/*
 * What an agent does, through the documented documents and firestore.rules: a reply is an
 * outbound message, everything else an `aiRequests` document the backend answers on itself.
 * Each action resolves once the backend has answered (or the write was refused) and never throws.
 */

type RequestFields<T = AiRequestCreate> = T extends AiRequestCreate
  ? Omit<T, "requestedBy" | "createdAt">
  : never;

export interface RequestOptions {
  /** Stops waiting for the answer (the request itself still runs). */
  signal?: AbortSignal;
}

const notSignedIn = {
  ok: false,
  error: { code: "not_signed_in", message: "Sign in to Firebase Auth first." },
} as const;

const signedInUid = (db: Firestore) => getAuth(db.app).currentUser?.uid;

/**
 * The agent's reply: an outbound message. With the `suggestionId` it started from, the backend
 * records on that suggestion whether it was sent as is, edited or not used (`agentUse`).
 */
export async function sendReply(
  db: Firestore,
  where: ConversationRef,
  reply: { text: string; suggestionId?: string },
): Promise<ActionResult<{ messageId: string }>> {
  const uid = signedInUid(db);
  if (!uid) return notSignedIn;
  const message: OutboundMessageCreate<FieldValue> = {
    direction: "outbound",
    text: reply.text,
    authorId: uid,
    createdAt: serverTimestamp(),
    ...(reply.suggestionId ? { suggestionId: reply.suggestionId } : {}),
  };
  try {
    const ref = await addDoc(collection(db, paths.messages(where)), message);
    return { ok: true, value: { messageId: ref.id } };
  } catch (err) {
    return { ok: false, error: actionError(err) };
  }
}

/** Writes an agent request and waits for the backend's answer on the same document. */
async function ask(
  db: Firestore,
  where: ConversationRef,
  fields: RequestFields,
  options: RequestOptions & { onText?: (text: string) => void } = {},
): Promise<ActionResult<AiRequest & { id: string }>> {
  const uid = signedInUid(db);
  if (!uid) return notSignedIn;
  const ref = doc(collection(db, paths.aiRequests(where)));
  // The spread of a union loses its tie to `kind`: the fields were checked as RequestFields.
  const written = {
    ...fields,
    requestedBy: uid,
    createdAt: serverTimestamp(),
  } as AiRequestCreate<FieldValue>;
  try {
    await setDoc(ref, written);
  } catch (err) {
    return { ok: false, error: actionError(err) };
  }
  return new Promise((resolve) => {
    let stop = () => {};
    const end = (result: ActionResult<AiRequest & { id: string }>) => {
      stop();
      resolve(result);
    };
    stop = onSnapshot(
      ref,
      (snap) => {
        const answer = snap.data() as AiRequest | undefined;
        if (answer?.status === "streaming" && answer.text) options.onText?.(answer.text);
        if (answer?.status === "ready") end({ ok: true, value: { ...answer, id: ref.id } });
        if (answer?.status === "error") {
          end({
            ok: false,
            error: {
              code: answer.error?.code ?? "provider_error",
              message: answer.error?.message ?? "",
              hint: answer.error?.hint,
            },
          });
        }
      },
      (err) => end({ ok: false, error: actionError(err) }),
    );
    options.signal?.addEventListener(
      "abort",
      () =>
        end({ ok: false, error: { code: "client_error", message: "Stopped waiting (aborted)." } }),
      { once: true },
    );
  });
}

export interface NewVersion {
  suggestionId: string;
  version: number;
}

function asNewVersion(
  result: ActionResult<AiRequest>,
  messageId: string,
): ActionResult<NewVersion> {
  if (!result.ok) return result;
  return {
    ok: true,
    value: {
      suggestionId: result.value.suggestionId ?? messageId,
      version: result.value.version ?? 0,
    },
  };
}

/**
 * The suggestion of the conversation's newest customer message again, as a new version,
 * optionally steered ("más corto", "ofrecé el cambio"). It streams into the same suggestion:
 * watch it with watchSuggestion or watchCurrentSuggestion.
 */
export async function regenerate(
  db: Firestore,
  where: ConversationRef,
  request: { messageId: string; instruction?: string },
  wait?: RequestOptions,
): Promise<ActionResult<NewVersion>> {
  const fields: RequestFields = {
    kind: "regenerate",
    messageId: request.messageId,
    ...(request.instruction?.trim() ? { instruction: request.instruction.trim() } : {}),
  };
  return asNewVersion(await ask(db, where, fields, wait), request.messageId);
}

/** Several reply options (2–3) for the newest customer message: the new version's `options`. */
export async function options(
  db: Firestore,
  where: ConversationRef,
  request: { messageId: string; count?: number },
  wait?: RequestOptions,
): Promise<ActionResult<NewVersion>> {
  const count = Math.min(
    Math.max(Math.round(request.count ?? MAX_REPLY_OPTIONS), 2),
    MAX_REPLY_OPTIONS,
  );
  const fields: RequestFields = {
    kind: "regenerate",
    messageId: request.messageId,
    options: count,
  };
  return asNewVersion(await ask(db, where, fields, wait), request.messageId);
}

export interface Rewritten {
  text: string;
  provider?: ProviderId | null;
  model?: string | null;
}

/**
 * The agent's own draft rewritten: in a tone (`tu`, `usted`, `vos`, `formal`, `friendly`) or by
 * an instruction of their own. `onText` gets the words as they stream.
 */
export async function rewrite(
  db: Firestore,
  where: ConversationRef,
  request: { draft: string } & ({ tone: Tone } | { instruction: string }),
  wait?: RequestOptions & { onText?: (text: string) => void },
): Promise<ActionResult<Rewritten>> {
  const instruction = "tone" in request ? request.tone : request.instruction;
  const result = await ask(db, where, { kind: "rewrite", draft: request.draft, instruction }, wait);
  if (!result.ok) return result;
  const { text, provider, model } = result.value;
  return { ok: true, value: { text: text ?? "", provider, model } };
}

/** A report of the conversation now (it also comes by itself on close, with `flags.reports`). */
export async function requestReport(
  db: Firestore,
  where: ConversationRef,
  wait?: RequestOptions,
): Promise<ActionResult<{ reportId: string }>> {
  const result = await ask(db, where, { kind: "report" }, wait);
  if (!result.ok) return result;
  return { ok: true, value: { reportId: result.value.reportId ?? `request-${result.value.id}` } };
}
