// Button custom ids: short, versioned, parsed with zod. Discord echoes the custom id back on a
// click, so it is the only state a button carries; it is never trusted beyond its shape (the
// action rechecks everything). Discord caps custom ids at 100 characters.
//   v1:approve:<recId>:<contracts>   one Approve button per size choice: a click is size + approve
//   v1:reject:<recId>
//   v1:close:<positionId>
//   v1:flatten:<positionId>        sell (or buy back) the shares an assignment left
//   v1:refresh:<recId>
import * as z from "../zod-mini";

export const CUSTOM_ID_MAX_LENGTH = 100;
/** The most contracts a button may carry (MAX_CONTRACTS in config.ts caps lower). */
export const MAX_BUTTON_CONTRACTS = 1000;

const recId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,40}$/, "recommendation id must be 1-40 of A-Z a-z 0-9 _ -"));
/** Digits only, no leading zero: one spelling per number, so a parsed id rebuilds to itself. */
const positiveInt = (max: number) =>
  z.pipe(
    z.pipe(z.string().check(z.regex(/^[1-9]\d{0,15}$/, "must be a positive whole number")), z.transform(Number)),
    wholeNumber(1, max),
  );
/** A whole number in [min, max]. */
const wholeNumber = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));

const ActionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("approve"), recId, contracts: wholeNumber(1, MAX_BUTTON_CONTRACTS) }),
  z.object({ kind: z.literal("reject"), recId }),
  z.object({ kind: z.literal("close"), positionId: wholeNumber(1, Number.MAX_SAFE_INTEGER) }),
  z.object({ kind: z.literal("flatten"), positionId: wholeNumber(1, Number.MAX_SAFE_INTEGER) }),
  z.object({ kind: z.literal("refresh"), recId }),
]);

export type ComponentAction = z.output<typeof ActionSchema>;
export type ApproveAction = Extract<ComponentAction, { kind: "approve" }>;
export type RejectAction = Extract<ComponentAction, { kind: "reject" }>;
export type CloseAction = Extract<ComponentAction, { kind: "close" }>;
export type FlattenAction = Extract<ComponentAction, { kind: "flatten" }>;
export type RefreshAction = Extract<ComponentAction, { kind: "refresh" }>;

export type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

const WireSchema = z.union([
  z.tuple([z.literal("v1"), z.literal("approve"), recId, positiveInt(MAX_BUTTON_CONTRACTS)]),
  z.tuple([z.literal("v1"), z.literal("reject"), recId]),
  z.tuple([z.literal("v1"), z.literal("close"), positiveInt(Number.MAX_SAFE_INTEGER)]),
  z.tuple([z.literal("v1"), z.literal("flatten"), positiveInt(Number.MAX_SAFE_INTEGER)]),
  z.tuple([z.literal("v1"), z.literal("refresh"), recId]),
]);

/** The custom id for a button. Throws on an invalid action: that is a bug in the caller. */
export function buildCustomId(action: ComponentAction): string {
  const a = ActionSchema.parse(action);
  switch (a.kind) {
    case "approve":
      return `v1:approve:${a.recId}:${a.contracts}`;
    case "reject":
      return `v1:reject:${a.recId}`;
    case "close":
      return `v1:close:${a.positionId}`;
    case "flatten":
      return `v1:flatten:${a.positionId}`;
    case "refresh":
      return `v1:refresh:${a.recId}`;
  }
}

export function parseCustomId(customId: string): Result<ComponentAction> {
  if (customId.length > CUSTOM_ID_MAX_LENGTH) return { ok: false, reason: "custom id longer than 100 characters" };
  const parsed = WireSchema.safeParse(customId.split(":"));
  if (!parsed.success) return { ok: false, reason: `unknown custom id "${customId}"` };
  const parts = parsed.data;
  switch (parts[1]) {
    case "approve":
      return { ok: true, value: { kind: "approve", recId: parts[2], contracts: parts[3] } };
    case "reject":
      return { ok: true, value: { kind: "reject", recId: parts[2] } };
    case "close":
      return { ok: true, value: { kind: "close", positionId: parts[2] } };
    case "flatten":
      return { ok: true, value: { kind: "flatten", positionId: parts[2] } };
    case "refresh":
      return { ok: true, value: { kind: "refresh", recId: parts[2] } };
  }
}
