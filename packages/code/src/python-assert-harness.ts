/**
 * The Python harness of assert tests (`main.py`): it runs `solution.py` (the submission), then
 * `test.py` (the test script) in the same `__main__` namespace, and prints the done marker it read
 * on stdin. Before the submission runs it parses `test.py` and turns every comparison inside an
 * assert statement (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`, chains, and comparisons in
 * generator expressions such as `all(f(x) == y for …)`) into a call of a strict comparison: each
 * operand is first made plain, built only of classes whose comparison is trusted (the builtins,
 * the standard library's containers and numbers, numpy arrays and scalars without Python objects
 * inside, and classes that `test.py` defines), and an operand whose class brings its own comparison anywhere inside it
 * fails the assertion (an `AssertionError` naming the class), so an object whose `__eq__` always
 * returns true cannot pass `assert f(1) == 3`. Plain values then compare with Python's own
 * operators, as before (`3.0 == 3`, `True == 1`, a `Counter` equals a `dict`). The comparison
 * function is captured before the submission runs and baked into the test's code objects as a
 * constant, so rebinding names or builtins does not reach it. Test functions that `test.py`
 * defines and never calls (pytest style: top level, named `test…`, no required argument) are then
 * called in definition order, as pytest would collect them. Python 3.6+.
 * @internal
 */
export const pythonAssertHarness = String.raw`# mixreward's Python assert harness: runs solution.py, then test.py, whose comparisons inside
# assert statements are strict: an operand whose class brings its own ==, !=, <, <=, > or >=
# (anywhere inside it) fails the assertion instead of deciding it. Everything the comparison uses
# is captured here, before the submission runs, and the comparison is baked into test.py's code
# objects as a constant, so no name in the submission's namespace leads to it.
def _mixreward_assert_harness():
    import _ast, _operator, os, sys

    type_, id_, tuple_, dict_, set_, frozenset_, complex_, slice_, enumerate_, str_, int_, float_, bool_, exec_ = (
        type, id, tuple, dict, set, frozenset, complex, slice, enumerate, str, int, float, bool, exec)
    function_type = type(_mixreward_assert_harness)
    code_type = type(_mixreward_assert_harness.__code__)
    mro_of = type.__dict__["__mro__"].__get__
    dict_of = type.__dict__["__dict__"].__get__
    flags_of = type.__dict__["__flags__"].__get__
    name_of = type.__dict__["__name__"].__get__
    module_of = type.__dict__["__module__"].__get__
    function_code = function_type.__dict__["__code__"].__get__
    function_defaults = function_type.__dict__["__defaults__"].__get__
    function_kwdefaults = function_type.__dict__["__kwdefaults__"].__get__
    arg_count = code_type.__dict__["co_argcount"].__get__
    kwonly_count = code_type.__dict__["co_kwonlyargcount"].__get__
    starts_with, len_ = str.startswith, len
    code_name = code_type.__dict__["co_name"].__get__
    assertion_error = AssertionError
    heap_type = 1 << 9
    stdout = sys.stdout
    write = os.write
    marker = sys.stdin.read().strip()
    with open("solution.py", "rb") as file:
        solution_source = file.read()
    with open("test.py", "rb") as file:
        test_source = file.read()
    sources = solution_source + b"\n" + test_source

    dict_keys = type({}.keys())
    dict_values = type({}.values())
    dict_items = type({}.items())
    to_int = int.__int__
    to_float = float.__float__
    to_str = str.__str__
    bytes_item = bytes.__getitem__
    bytearray_copy = bytearray.copy
    real_of = complex.__dict__["real"].__get__
    imag_of = complex.__dict__["imag"].__get__
    list_iter, list_append, tuple_iter, set_iter, frozenset_iter = list.__iter__, list.append, tuple.__iter__, set.__iter__, frozenset.__iter__
    dict_pairs, dict_set, dict_from_keys, dict_keys_of, dict_items_of = dict.items, dict.__setitem__, dict.fromkeys, dict.keys, dict.items
    keys_iter, values_iter, items_iter = dict_keys.__iter__, dict_values.__iter__, dict_items.__iter__
    operations = (_operator.eq, _operator.ne, _operator.lt, _operator.le, _operator.gt, _operator.ge)
    compare_names = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")

    # The classes whose comparisons are trusted, and how a value of one becomes a plain value:
    # "scalar" compares by its value (a subclass becomes the base class); "leaf" is kept as it is;
    # "exact" and "fraction" are kept, for the class itself only (Python code whose subclasses could
    # change what its comparison reads); the container kinds are rebuilt from their items, made
    # plain in turn. A class of test.py's own keeps its comparison, and so do numpy arrays and
    # scalars without Python objects inside (numpy_leaf).
    kinds = {
        object: "leaf", int: "scalar", float: "scalar", complex: "scalar", str: "scalar", bytes: "scalar",
        bytearray: "scalar", range: "leaf", list: "list", tuple: "tuple", dict: "dict", set: "set",
        frozenset: "frozenset", dict_keys: "keys", dict_items: "items",
    }
    searchable = [list, tuple, dict, set, frozenset, str, bytes, bytearray, range, dict_keys, dict_items]
    # Standard-library classes, imported (before the submission runs) only where a source names
    # them: no submission gets one of their values without naming it.
    OrderedDict = Counter = deque = Fraction = None
    if b"collections" in sources or b"Counter" in sources or b"OrderedDict" in sources or b"deque" in sources:
        import collections
        OrderedDict, Counter, deque = collections.OrderedDict, collections.Counter, collections.deque
        kinds.update({OrderedDict: "ordered", Counter: "counter", deque: "deque"})
        searchable += [OrderedDict, Counter, deque]
        ordered_pairs, ordered_set, deque_iter = OrderedDict.items, OrderedDict.__setitem__, deque.__iter__
    if b"ecimal" in sources:
        import decimal
        kinds[decimal.Decimal] = "exact"
    if b"raction" in sources:
        import fractions
        Fraction = fractions.Fraction
        kinds[Fraction] = "fraction"
        fraction_slots = dict_of(Fraction)
        numerator_of = fraction_slots["_numerator"].__get__ if "_numerator" in fraction_slots else None
        denominator_of = fraction_slots["_denominator"].__get__ if "_denominator" in fraction_slots else None
    exact_kinds = ("exact", "fraction", "counter")
    trusted = {}
    for klass in kinds:
        own = dict_of(klass)
        for name in compare_names:
            if name in own:
                trusted[id_(own[name])] = (own[name], klass)
    from_test = object()
    test_codes = {}
    classified = {}

    class Rejected(Exception):
        pass

    def describe(klass):
        module, name = module_of(klass), name_of(klass)
        if type_(module) is not str_ or type_(name) is not str_:
            return "a class"
        return name if module == "builtins" else module + "." + name

    def lookup(klass, name):
        for base in mro_of(klass):
            own = dict_of(base)
            if name in own:
                return own[name]
        return None

    def classify(klass):
        # The class whose comparison values of klass use (or from_test), else Rejected.
        known = classified.get(id_(klass))
        if known is not None and known[0] is klass:
            return known[1]
        owner = None
        for name in compare_names:
            method = lookup(klass, name)
            entry = trusted.get(id_(method))
            if entry is not None and entry[0] is method:
                found = entry[1]
            elif type_(method) is function_type and test_codes.get(id_(function_code(method))) is function_code(method) and code_name(function_code(method)) == name:
                found = from_test
            elif name in dict_of(klass):
                raise Rejected("%s defines its own %s" % (describe(klass), name))
            else:
                raise Rejected("%s inherits %s from a class that defines its own" % (describe(klass), name))
            if owner is None:
                owner = found
            elif found is not owner and found is not object and found is not from_test and owner is not from_test:
                raise Rejected("%s mixes the comparisons of several classes" % describe(klass))
        if owner is not from_test and kinds[owner] in exact_kinds and klass is not owner:
            raise Rejected("%s is a subclass of %s, whose comparison a subclass can change" % (describe(klass), describe(owner)))
        classified[id_(klass)] = (klass, owner)
        return owner

    def numpy_base(klass, names):
        # The class of klass's MRO built into numpy (static: no submission can define or change
        # one) whose name is one of names, else None.
        if flags_of(klass) & heap_type:
            return None
        for base in mro_of(klass):
            if not flags_of(base) & heap_type and module_of(base) == "numpy" and name_of(base) in names:
                return base
        return None

    def numpy_leaf(klass, value):
        # True for a numpy array (the class itself) or scalar with no Python objects inside: numpy's
        # own comparison decides, as in Python. Rejected when it holds Python objects.
        base = numpy_base(klass, ("ndarray", "generic"))
        if base is None or (name_of(base) == "ndarray" and base is not klass):
            return False
        dtype = dict_of(base)["dtype"].__get__(value)
        dtype_base = numpy_base(type_(dtype), ("dtype",))
        if dtype_base is None or dict_of(dtype_base)["hasobject"].__get__(dtype) is not False:
            raise Rejected("a numpy %s that holds Python objects" % name_of(klass))
        return True

    def plain(value, memo):
        # An equal value built only of trusted classes, else Rejected.
        klass = type_(value)
        if klass is int_ or klass is str_ or klass is float_ or klass is bool_ or value is None:
            return value
        known = memo.get(id_(value))
        if known is not None and known[0] is value:
            if known[1] is memo:
                raise Rejected("a %s that contains itself" % describe(klass))
            return known[1]
        if numpy_leaf(klass, value):
            return value
        owner = classify(klass)
        kind = "leaf" if owner is from_test else kinds[owner]
        if kind == "leaf" or kind == "exact":
            return value
        if kind == "fraction":
            if numerator_of is not None and (type_(numerator_of(value)) is not int_ or type_(denominator_of(value)) is not int_):
                raise Rejected("a Fraction whose parts are not int")
            return value
        if kind == "scalar":
            if klass is owner or klass is bool_:
                return value
            if owner is int_:
                return to_int(value)
            if owner is float_:
                return to_float(value)
            if owner is str_:
                return to_str(value)
            if owner is complex_:
                return complex_(real_of(value), imag_of(value))
            if owner is bytes:
                return bytes_item(value, slice_(None))
            return bytearray_copy(value)
        if kind == "list":
            out = []
            memo[id_(value)] = (value, out)
            for element in list_iter(value):
                list_append(out, plain(element, memo))
            return out
        if kind == "dict" or kind == "ordered" or kind == "counter":
            out = dict_() if kind == "dict" else OrderedDict() if kind == "ordered" else Counter()
            memo[id_(value)] = (value, out)
            put = ordered_set if kind == "ordered" else dict_set
            for key, element in (ordered_pairs(value) if kind == "ordered" else dict_pairs(value)):
                put(out, plain(key, memo), plain(element, memo))
            return out
        memo[id_(value)] = (value, memo)  # in progress: an immutable container cannot come back to itself
        if kind == "tuple":
            out = tuple_([plain(element, memo) for element in tuple_iter(value)])
        elif kind == "set":
            out = set_([plain(element, memo) for element in set_iter(value)])
        elif kind == "frozenset":
            out = frozenset_([plain(element, memo) for element in frozenset_iter(value)])
        elif kind == "deque":
            out = deque([plain(element, memo) for element in deque_iter(value)])
        elif kind == "keys":
            out = dict_keys_of(dict_from_keys([plain(key, memo) for key in keys_iter(value)]))
        else:
            out = dict_items_of(dict_([(plain(key, memo), plain(element, memo)) for key, element in items_iter(value)]))
        memo[id_(value)] = (value, out)
        return out

    def searchable_class(klass):
        for candidate in searchable:
            if klass is candidate:
                return True
        return False

    def check(operation, left, right):
        memo = {}
        try:
            left = plain(left, memo)
            if operation >= 6 and type_(right) is dict_values:
                right = [plain(element, memo) for element in values_iter(right)]
            else:
                right = plain(right, memo)
            if operation >= 6 and not searchable_class(type_(right)):
                raise Rejected("'in' needs a list, tuple, set, dict, str, bytes or range on its right, not %s" % describe(type_(right)))
        except Rejected as rejected:
            raise assertion_error("strict comparison (mixreward): %s" % rejected.args[0]) from None
        if operation == 6:
            return left in right
        if operation == 7:
            return left not in right
        return operations[operation](left, right)

    def compare(operation, left, *rest):
        # compare(op, a, b): one comparison. compare((op, ...), a, thunk, ...): a chain, each later
        # operand evaluated only while the comparisons before it hold, as Python does;
        # compare((-1, op, ...), a, b, ...): a chain whose operands are all evaluated already.
        if type_(operation) is not tuple_:
            return check(operation, left, rest[0])
        lazy = operation[0] != -1
        result = True
        for index, step in enumerate_(operation if lazy else operation[1:]):
            right = rest[index]() if lazy else rest[index]
            if step == 8:
                result = left is right
            elif step == 9:
                result = left is not right
            else:
                result = check(step, left, right)
            if not result:
                return result
            left = right
        return result

    # test.py's syntax tree, every comparison in an assert's condition (but not in a lambda that
    # the condition hands on) turned into a call of the placeholder, which bake() then replaces.
    placeholder = "<mixreward-compare-%s>" % os.urandom(16).hex()
    codes = {_ast.Eq: 0, _ast.NotEq: 1, _ast.Lt: 2, _ast.LtE: 3, _ast.Gt: 4, _ast.GtE: 5, _ast.In: 6, _ast.NotIn: 7, _ast.Is: 8, _ast.IsNot: 9}
    baked = hasattr(code_type, "replace")  # Python >= 3.8; before, a global of a random name
    # A later operand of a chain becomes a lambda, evaluated only when needed; not in a class body
    # (a lambda there cannot see the class's names), nor where a lambda cannot hold it.
    unlazy = tuple(getattr(_ast, name) for name in ("Await", "Yield", "YieldFrom", "NamedExpr") if hasattr(_ast, name))
    location = ("lineno", "col_offset", "end_lineno", "end_col_offset")

    def located(node, at):
        for name in location:
            if hasattr(at, name):
                setattr(node, name, getattr(at, name))
        return node

    def walk(node):
        yield node
        for name in node._fields:
            value = getattr(node, name, None)
            for child in value if isinstance(value, list) else [value]:
                if isinstance(child, _ast.AST):
                    for part in walk(child):
                        yield part

    def rewrite(node, in_assert, in_class, lazy):
        if isinstance(node, _ast.Lambda) and in_assert:
            return node
        if isinstance(node, _ast.Assert):
            node.test = rewrite(node.test, True, in_class, not in_class)
            return node
        if isinstance(node, _ast.ClassDef):
            in_class = True
        elif isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.Lambda)):
            in_class = False
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for index, child in enumerate(value):
                    if isinstance(child, _ast.AST):
                        value[index] = rewrite(child, in_assert, in_class, lazy)
            elif isinstance(value, _ast.AST):
                setattr(node, name, rewrite(value, in_assert, in_class, lazy))
        if not in_assert or not isinstance(node, _ast.Compare):
            return node
        ops = [codes[type(op)] for op in node.ops]
        if all(op >= 8 for op in ops):
            return node
        if len(ops) == 1:
            args = [located(_ast.Constant(value=ops[0]), node), node.left, node.comparators[0]]
        elif lazy and not any(isinstance(part, unlazy) for operand in node.comparators for part in walk(operand)):
            args = [located(_ast.Constant(value=tuple(ops)), node), node.left]
            for operand in node.comparators:
                thunk = located(compile("lambda: 0", "test.py", "eval", _ast.PyCF_ONLY_AST).body, operand)
                thunk.body = operand
                args.append(thunk)
        else:
            args = [located(_ast.Constant(value=(-1,) + tuple(ops)), node), node.left] + node.comparators
        if baked:  # placeholder.__call__(...): a call of a constant would warn at compile time
            helper = _ast.Attribute(value=located(_ast.Constant(value=placeholder), node), attr="__call__", ctx=_ast.Load())
        else:
            helper = _ast.Name(id=placeholder, ctx=_ast.Load())
        return located(_ast.Call(func=located(helper, node), args=args, keywords=[]), node)

    def bake(code):
        # test.py's code objects, the comparison in place of the placeholder; each one recorded,
        # so that classes test.py defines keep their own comparison.
        consts = []
        for const in code.co_consts:
            if type(const) is str and const == placeholder:
                const = compare
            elif type(const) is code_type:
                const = bake(const)
            consts.append(const)
        if baked:
            code = code.replace(co_consts=tuple(consts))
        test_codes[id(code)] = code
        return code

    tree = rewrite(compile(test_source, "test.py", "exec", _ast.PyCF_ONLY_AST, True), False, False, True)
    test = bake(compile(tree, "test.py", "exec", 0, True))
    solution = compile(solution_source, "solution.py", "exec", 0, True)
    namespace = sys.modules["__main__"].__dict__
    del namespace["_mixreward_assert_harness"]
    exec_(solution, namespace)
    if not baked:
        namespace[placeholder] = compare
    exec_(test, namespace)
    # pytest-style scripts define test functions and never call them, so any submission would
    # pass: as pytest collects them, every top-level function test.py defines whose name starts
    # with "test" and that needs no argument is called, in definition order.
    for name, value in tuple_(dict_pairs(namespace)):
        if type_(name) is not str_ or not starts_with(name, "test") or type_(value) is not function_type:
            continue
        code = function_code(value)
        if test_codes.get(id_(code)) is not code:
            continue
        defaults = function_defaults(value)
        kwdefaults = function_kwdefaults(value)
        if arg_count(code) == (0 if defaults is None else len_(defaults)) and kwonly_count(code) == (0 if kwdefaults is None else len_(kwdefaults)):
            value()
    try:
        stdout.flush()
    except Exception:
        pass
    write(1, ("\n" + marker + "\n").encode())


_mixreward_assert_harness()
`;
