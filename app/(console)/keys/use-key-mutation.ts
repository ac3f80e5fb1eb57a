"use client";

import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useToast } from "@/components/ui/toast";
import type { ActionError } from "@/lib/console/client";
import type { KeyDetail, KeyListPage, KeyRow } from "@/lib/console/keys/types";

/**
 * A key change with an optimistic update: `patch` is applied at once to the
 * key in every cached list page and its detail, rolled back (with the
 * server's message in a toast) when the service refuses or holds the change
 * for approval.
 */
export function useKeyMutation<V extends { keyId: string }>({
  run,
  patch,
  success,
}: {
  run: (vars: V) => Promise<unknown>;
  patch?: (vars: V) => Partial<KeyRow & KeyDetail>;
  success?: (vars: V) => string;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: run,
    onMutate: async (vars: V) => {
      if (!patch) return { snapshot: [] as Array<[QueryKey, unknown]> };
      await queryClient.cancelQueries({ queryKey: ["keys"] });
      await queryClient.cancelQueries({ queryKey: ["key", vars.keyId] });
      const snapshot = [
        ...queryClient.getQueriesData({ queryKey: ["keys"] }),
        ...queryClient.getQueriesData({ queryKey: ["key", vars.keyId] }),
      ];
      const p = patch(vars);
      queryClient.setQueriesData<KeyListPage>({ queryKey: ["keys"] }, (old) =>
        old?.keys ? { ...old, keys: old.keys.map((k) => (k.id === vars.keyId ? { ...k, ...p } : k)) } : old,
      );
      queryClient.setQueriesData<KeyDetail>({ queryKey: ["key", vars.keyId] }, (old) => (old ? { ...old, ...p } : old));
      return { snapshot };
    },
    onError: (e, _vars, context) => {
      context?.snapshot.forEach(([key, data]) => queryClient.setQueryData(key, data));
      // Held for approval: nothing changed yet (so the rollback above is right), but it is no failure.
      if ((e as ActionError).approvalRequestId) toast("info", `Approval requested. ${e.message}`);
      else toast("error", e.message);
    },
    onSuccess: (_data, vars) => {
      if (success) toast("success", success(vars));
    },
    onSettled: (_d, _e, vars) => {
      void queryClient.invalidateQueries({ queryKey: ["keys"] });
      void queryClient.invalidateQueries({ queryKey: ["key", vars.keyId] });
      void queryClient.invalidateQueries({ queryKey: ["key-dashboard"] });
    },
  });
}
