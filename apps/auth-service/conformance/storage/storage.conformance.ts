import { describe } from 'vitest';
import { describeBetterAuthFlows } from './betterAuthFlows';
import { describeStorageContract } from './storageKit';
import { STORAGE_TARGETS } from './storageTargets';

// One kit, every storage target (today the Redis reference; see storageTargets.ts).
for (const target of STORAGE_TARGETS) {
  describe(target.name, () => {
    describeStorageContract(target);
    describeBetterAuthFlows(target);
  });
}
