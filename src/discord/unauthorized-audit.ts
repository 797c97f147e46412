// The audit row for a refused interaction: someone not allowed tried to act. The refusal itself
// never depends on this write (the caller refuses whether or not the row lands).
import type { AuditStore } from "../store/audit";
import type { Route } from "./route";

export interface UnauthorizedAttempt {
  at: number;
  userId: string;
  userName: string;
  interactionId: string;
  route: Route;
}

export async function auditUnauthorized(audit: AuditStore, attempt: UnauthorizedAttempt): Promise<void> {
  const { route } = attempt;
  const action = route.kind === "component" ? route.action : null;
  await audit.record({
    at: attempt.at,
    actor: attempt.userId,
    action: "unauthorized",
    recommendationId: action && "recId" in action ? action.recId : null,
    positionId: action && "positionId" in action ? action.positionId : null,
    interactionId: attempt.interactionId,
    outcome: "refused",
    detail: {
      userName: attempt.userName,
      attempted: route.kind === "command" ? `/${route.name}` : route.action.kind,
      ...(action && "contracts" in action ? { contracts: action.contracts } : {}),
    },
  });
}
