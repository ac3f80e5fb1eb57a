import type { KmsOperation } from "../operation";
import { createAlias, deleteAlias, listAliases, updateAlias } from "./aliases";
import { cancelKeyDeletion, scheduleKeyDeletion } from "./deletion";
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  rotateKeyOnDemand,
} from "./rotation";
import { listResourceTags, tagResource, untagResource } from "./tags";

// Lifecycle operations: aliases, tags, deletion, rotation.
export const lifecycleOperations: Record<string, KmsOperation> = {
  CreateAlias: createAlias,
  UpdateAlias: updateAlias,
  DeleteAlias: deleteAlias,
  ListAliases: listAliases,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListResourceTags: listResourceTags,
  ScheduleKeyDeletion: scheduleKeyDeletion,
  CancelKeyDeletion: cancelKeyDeletion,
  EnableKeyRotation: enableKeyRotation,
  DisableKeyRotation: disableKeyRotation,
  GetKeyRotationStatus: getKeyRotationStatus,
  RotateKeyOnDemand: rotateKeyOnDemand,
  ListKeyRotations: listKeyRotations,
};
