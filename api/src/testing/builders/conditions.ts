// Conditions are keyed by type: setting one replaces the condition of that type, in its place.

export function setCondition<C extends { type: string }>(conditions: C[], condition: C): void {
  const at = conditions.findIndex((c) => c.type === condition.type);
  if (at >= 0) conditions[at] = condition;
  else conditions.push(condition);
}
