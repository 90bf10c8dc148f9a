package dev.dpccheck.kernel;

import java.util.Arrays;

/** The choices of one schedule, in order: with the seed, what makes a schedule replayable. */
final class ChoiceLog {
    private int[] options = new int[1024];
    private int[] chosen = new int[1024];
    private int size;

    void add(int n, int choice) {
        if (size == chosen.length) {
            options = Arrays.copyOf(options, size * 2);
            chosen = Arrays.copyOf(chosen, size * 2);
        }
        options[size] = n;
        chosen[size++] = choice;
    }

    int chosen(int i) {
        return chosen[i];
    }

    int options(int i) {
        return options[i];
    }

    int size() {
        return size;
    }

    /** A stable digest of the choices, to tell schedules apart. */
    long digest() {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < size; i++) {
            h = (h ^ chosen[i]) * 0x100000001b3L;
            h = (h ^ options[i]) * 0x100000001b3L;
        }
        return h;
    }
}
