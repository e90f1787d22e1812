package spsn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import spsn.SpsnException;

class StateDictTest {

    private static StateDict eightKeys() {
        StateDict dict = new StateDict("model/a.pt");
        for (int layer = 0; layer < 4; layer++) {
            dict.put(layer + ".fc.weight", Tensor.of(new float[6], 2, 3));
            dict.put(layer + ".fc.bias", Tensor.of(new float[2], 2));
        }
        return dict;
    }

    @Test
    void keepsInsertionOrder() {
        StateDict dict = new StateDict();
        dict.put("b", Tensor.of(new float[1], 1)).put("a", Tensor.of(new float[1], 1)).put("c", Tensor.of(new float[0], 0));
        dict.put("b", Tensor.of(new float[2], 2));
        assertEquals(List.of("b", "a", "c"), dict.keys());
        assertEquals(3, dict.size());
        assertEquals(2, dict.get("b").numel());
        assertTrue(dict.containsKey("a"));
        assertFalse(dict.containsKey("z"));
        assertNull(dict.get("z"));
        assertEquals("(in memory)", dict.source());
    }

    @Test
    void requireReturnsTheTensorWhenTheShapeMatches() {
        StateDict dict = eightKeys();
        assertSame(dict.get("1.fc.weight"), dict.require("1.fc.weight", 2, 3));
    }

    @Test
    void requireNamesFileKeyAndBothShapes() {
        SpsnException e = assertThrows(SpsnException.class, () -> eightKeys().require("0.fc.weight", 2, 4));
        assertEquals(SpsnException.DATA, e.exitCode());
        assertEquals("model file model/a.pt: key 0.fc.weight has shape [2, 3] but this network needs [2, 4]",
                e.getMessage());
    }

    @Test
    void requireOfMissingKeyListsSomeKeysOnOneLine() {
        SpsnException e = assertThrows(SpsnException.class, () -> eightKeys().require("4.fc.weight", 2, 3));
        assertEquals("model file model/a.pt has no key 4.fc.weight (it has 8 keys: 0.fc.weight, 0.fc.bias, "
                + "1.fc.weight, 1.fc.bias, 2.fc.weight, 2.fc.bias, ... 2 more); "
                + "was it saved from a network with the same layers?", e.getMessage());
        SpsnException empty = assertThrows(SpsnException.class, () -> new StateDict("x.pt").require("w"));
        assertTrue(empty.getMessage().contains("(it has no tensors)"), empty.getMessage());
    }
}
