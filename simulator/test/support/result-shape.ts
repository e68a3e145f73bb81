import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLCompositeType,
} from "graphql";

/**
 * Checks a response's `data` against the schema and the document, independently of graphql-js's
 * executor: every selected key present, non-null fields not null, lists are lists, enums are
 * members of their enum, scalars have their JSON type, `__typename` names a type that fits.
 */
export function shapeProblems(schema: GraphQLSchema, query: string, data: unknown): string[] {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const problems: string[] = [];
  const root = operation.operation === "mutation" ? schema.getMutationType()! : schema.getQueryType()!;

  const fits = (typename: unknown, condition: string) => {
    if (typeof typename !== "string") return true;
    if (typename === condition) return true;
    const type = schema.getType(typename);
    const target = schema.getType(condition);
    return Boolean(type && target && isObjectType(type) && isAbstractType(target) && schema.isSubType(target, type));
  };

  const checkValue = (type: GraphQLOutputType, value: unknown, selection: SelectionSetNode | undefined, path: string) => {
    if (isNonNullType(type)) {
      if (value === null || value === undefined) return problems.push(`${path}: null for non-null ${String(type)}`);
      return checkValue(type.ofType, value, selection, path);
    }
    if (value === null) return;
    if (isListType(type)) {
      if (!Array.isArray(value)) return problems.push(`${path}: expected a list`);
      return value.forEach((item, index) => checkValue(type.ofType, item, selection, `${path}[${index}]`));
    }
    const named = getNamedType(type);
    if (isEnumType(named)) {
      if (!named.getValues().some((v) => v.name === value)) problems.push(`${path}: ${JSON.stringify(value)} is not a ${named.name}`);
      return;
    }
    if (isLeafType(named)) {
      const expected: Record<string, string> = { Int: "number", Float: "number", Boolean: "boolean", String: "string", ID: "string" };
      const jsonType = expected[named.name] ?? (named.name === "JSON" ? null : "string");
      if (jsonType && typeof value !== jsonType) problems.push(`${path}: ${JSON.stringify(value)} is not a ${named.name}`);
      if (named.name === "Int" && !Number.isInteger(value)) problems.push(`${path}: ${value} is not an Int`);
      return;
    }
    if (typeof value !== "object") return problems.push(`${path}: expected an object`);
    checkSelection(selection!, named as GraphQLCompositeType, value as Record<string, unknown>, path);
  };

  const checkSelection = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, value: Record<string, unknown>, path: string) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value)! : selection;
        const condition = fragment.typeCondition?.name.value ?? parent.name;
        if (fits(value.__typename, condition)) checkSelection(fragment.selectionSet, schema.getType(condition) as GraphQLCompositeType, value, path);
        continue;
      }
      const key = selection.alias?.value ?? selection.name.value;
      if (!(key in value)) {
        problems.push(`${path}.${key}: missing`);
        continue;
      }
      if (selection.name.value === "__typename") {
        if (!fits(value[key], parent.name)) problems.push(`${path}.__typename: ${String(value[key])} does not fit ${parent.name}`);
        continue;
      }
      const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!field) {
        problems.push(`${path}.${key}: no such field on ${parent.name}`);
        continue;
      }
      checkValue(field.type, value[key], selection.selectionSet, `${path}.${key}`);
    }
  };

  if (data && typeof data === "object") checkSelection(operation.selectionSet, root, data as Record<string, unknown>, "data");
  else problems.push("data: missing");
  return problems;
}
