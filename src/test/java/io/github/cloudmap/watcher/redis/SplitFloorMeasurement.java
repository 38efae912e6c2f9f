package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.AdaptiveBudgetConfig;

/**
 * Why three processes on local budgets cannot stay under 5 % throttled at a quota of 0.5/s
 * (burst 1) however low their floor: the same 50 operations as {@link SmallQuotaFleetTest}, in
 * virtual time, with the local budgets' floor lowered step by step, against one fleet budget. A
 * deterministic measurement, written down in docs/scale.md, not a test.
 *
 * <pre>{@code
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     io.github.cloudmap.watcher.redis.SplitFloorMeasurement
 * }</pre>
 */
public final class SplitFloorMeasurement {

    private SplitFloorMeasurement() {}

    public static void main(String[] args) {
        double quota = args.length > 0 ? Double.parseDouble(args[0]) : 0.5;
        for (double floor : new double[] {AdaptiveBudgetConfig.DEFAULT_MIN_RATE, 0.05, 0.02, 0.01}) {
            System.out.printf("split, floor %.2f/s: %s%n", floor,
                    SmallQuotaFleetTest.run(quota, SmallQuotaFleetTest.Mode.SPLIT, 50, floor));
        }
        System.out.printf("fleet: %s%n", SmallQuotaFleetTest.run(quota, SmallQuotaFleetTest.Mode.FLEET, 50,
                AdaptiveBudgetConfig.DEFAULT_MIN_RATE));
        System.out.printf("tuned: %s%n", SmallQuotaFleetTest.run(quota, SmallQuotaFleetTest.Mode.TUNED, 50,
                AdaptiveBudgetConfig.DEFAULT_MIN_RATE));
    }
}
