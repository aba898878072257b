// The Plan: the immutable, content-addressed output of a job's read-only `plan()` step.
// It is what a human approves and exactly what `apply()` receives, so every field must be plain JSON.
import { z } from 'zod';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const JsonValueSchema: z.ZodType<JsonValue> = z.json();

export const RefusalSchema = z.object({ code: z.string().min(1), message: z.string() });
export type Refusal = z.infer<typeof RefusalSchema>;

export const PlanSchema = z.object({
  job: z.string().min(1),
  input: JsonValueSchema,
  /** ISO-8601 instant the plan was computed. */
  createdAt: z.string().min(1),
  host: z.string(),
  /** Fingerprint of every fact the plan relies on, keyed by name (re-checked by `apply`). */
  preconditions: z.record(z.string(), JsonValueSchema),
  actions: z.array(JsonValueSchema),
  warnings: z.array(z.string()),
  /** A plan with refusals can be shown but never approved or applied. */
  refusals: z.array(RefusalSchema),
  summary: z.string(),
  /** Deletes or overwrites something; triggers confirm dialogs and the two-person rule. */
  destructive: z.boolean(),
});

export interface Plan {
  job: string;
  input: JsonValue;
  createdAt: string;
  host: string;
  preconditions: JsonObject;
  actions: JsonValue[];
  warnings: string[];
  refusals: Refusal[];
  summary: string;
  destructive: boolean;
}
