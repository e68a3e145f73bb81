import { getVariableValues, parse, validate, type OperationDefinitionNode } from "graphql";
import type { AdminGraphql } from "../../app/shopify/admin-api.server";
import { adminSchema } from "../../simulator/admin-graphql";

export interface RecordedCall {
  operation: string;
  variables: Record<string, unknown>;
  at: number;
}

/**
 * A stand-in Admin API that checks every document AND its variables against the 2026-01 schema
 * (as Shopify would refuse them), records the call, and answers with `answer`.
 */
export function schemaCheckedAdmin(answer: (call: RecordedCall) => unknown) {
  const calls: RecordedCall[] = [];
  const admin: AdminGraphql = {
    async request<T>(document: string, variables: Record<string, unknown> = {}) {
      const ast = parse(document);
      const errors = validate(adminSchema(), ast);
      if (errors.length) throw new Error(`invalid document: ${errors.map((e) => e.message).join("; ")}`);
      const operation = ast.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
      const coerced = getVariableValues(adminSchema(), operation.variableDefinitions ?? [], variables);
      if (coerced.errors?.length) throw new Error(`invalid variables: ${coerced.errors.map((e) => e.message).join("; ")}`);
      const call = { operation: operation.name?.value ?? "", variables, at: Date.now() };
      calls.push(call);
      return answer(call) as T;
    },
  };
  return { admin, calls };
}
