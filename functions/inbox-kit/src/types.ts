import type { Timestamp } from "firebase/firestore";
import type {
  AiRequestCreate,
  AiRequestDocument,
  AiSettingsDocument,
  ConversationDocument,
  KnowledgeArticleDocument,
  MessageDocument,
  ReportDocument,
  SuggestionDocument,
} from "../../src/contract/documents";
import type { ErrorCode } from "../../src/core/errorCodes";

/*
 * The documents as the web SDK reads them: the backend's own declarations
 * (functions/src/contract/documents.ts), with the web SDK's Timestamp.
 */

export type Suggestion = SuggestionDocument<Timestamp>;
export type Report = ReportDocument<Timestamp>;
export type AiRequest = AiRequestDocument<Timestamp>;
export type NewAiRequest = AiRequestCreate<Timestamp>;
export type Message = MessageDocument<Timestamp>;
export type Conversation = ConversationDocument;
export type AiSettings = AiSettingsDocument;
export type KnowledgeArticle = KnowledgeArticleDocument<Timestamp>;

export type {
  AgentUse,
  ReplyOption,
  ReportJudgement,
  StoredError,
  SuggestionKnowledgeUse,
  SuggestionSource,
} from "../../src/contract/documents";
export type { ErrorCode } from "../../src/core/errorCodes";
export type {
  AgentUseOutcome,
  AiRequestKind,
  GenerationStatus,
  InstructionPreset,
  KnowledgeStatus,
  ProviderId,
  Resolution,
  Sentiment,
  SkipReason,
  SupersedeReason,
  Tone,
} from "../../src/core/vocabulary";

/** A conversation of a workspace: where every listener and action works. */
export interface ConversationRef {
  workspaceId: string;
  conversationId: string;
}

/** Errors the kit reports before the backend answers. */
export type ClientErrorCode =
  /** No user is signed in to Firebase Auth. */
  | "not_signed_in"
  /** The security rules refused: not a member of the workspace, or a document of another shape. */
  | "permission_denied"
  /** The write or the listener failed for another reason (offline, the emulator down). */
  | "client_error";

/** How an action failed: the backend's code and hint, or the client's own. */
export interface ActionError {
  code: ErrorCode | ClientErrorCode;
  message: string;
  /** The backend's advice in the team's language; absent for client errors. */
  hint?: string;
}

/** What every action returns: its value, or why it failed. Actions never throw. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; error: ActionError };
