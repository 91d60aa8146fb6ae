"""One line per linear-algebra rule (src/tapeless/rules/linalg.py and the @ / np.matmul rule in
operators.py): np.dot, x.dot, @, np.matmul for 1-D / 2-D / batched operands, np.linalg.norm."""

import numpy as np
import pytest

import tapeless
from tapeless.errors import ArgumentError
from tapeless.rules import registry
from tapeless.testing import check_grads

rng = np.random.default_rng(5)
v3 = rng.normal(size=3)
v4 = rng.normal(size=4)
A = rng.normal(size=(3, 4))
B = rng.normal(size=(4, 2))
T = rng.normal(size=(5, 3, 4))      # a stack of five (3, 4) matrices
T2 = rng.normal(size=(5, 4, 2))
T1 = rng.normal(size=(1, 3, 4))     # broadcasts against the batch of T2


def weights(shape):   # fixed, asymmetric weights for a result of this shape
    return np.random.default_rng(int(np.prod(shape)) + len(shape)).normal(size=shape)


G = {s: weights(s) for s in [(), (2,), (3,), (4,), (5,), (3, 2), (3, 3), (5, 2), (5, 3), (5, 3, 2), (5, 3, 3), (3, 4)]}


def f_dot(a, b):
    y = np.dot(a, b)
    shape = np.shape(y)
    return np.sum(y * G[shape])   # weights of the result's shape


def f_dot_method(a, b):
    y = a.dot(b)
    shape = np.shape(y)
    return np.sum(y * G[shape])


def f_matmul_op(a, b):
    y = a @ b
    shape = np.shape(y)
    return np.sum(y * G[shape])


def f_matmul(a, b):
    y = np.matmul(a, b)
    shape = np.shape(y)
    return np.sum(y * G[shape])


def f_gram(a): return np.sum((a.T @ a) * np.arange(16.0).reshape(4, 4))          # a used twice
def f_outer(a, b): return np.sum(np.outer(a, b) * G[(3, 4)])
def f_trace(a): return np.trace(a) + np.trace(a @ a.T)
def f_trace_method(a): return (a @ a.T).trace()
def f_norm(x): return np.linalg.norm(x)
def f_norm_2(x): return np.linalg.norm(x, 2)
def f_norm_ord_kw(x): return np.linalg.norm(x, ord=2)
def f_norm_fro(x): return np.linalg.norm(x, "fro")
def f_norm_axis0(x): return np.sum(np.linalg.norm(x, axis=0) * G[(4,)])
def f_norm_axis1_keep(x): return np.sum(np.linalg.norm(x, axis=1, keepdims=True) * G[(3,)][:, None])
def f_norm_axis_neg(x): return np.sum(np.linalg.norm(x, axis=-1) * G[(3,)])
def f_norm_axes(x): return np.linalg.norm(x, axis=(0, 1))
def f_norm_2_axis1(x): return np.sum(np.linalg.norm(x, ord=2, axis=1) * G[(3,)])
def f_norm_fro_axes(x): return np.linalg.norm(x, ord="fro", axis=(0, 1))
def f_norm_of_expression(x): return np.linalg.norm(x * G[(3, 4)] + 1.0) ** 2



SPD = np.eye(3) * 3.0 + 0.1 * rng.normal(size=(3, 3))        # well-conditioned, not symmetric
SPD5 = np.eye(3) * 3.0 + 0.1 * rng.normal(size=(5, 3, 3))    # a stack of five
M32 = rng.normal(size=(3, 2))
M532 = rng.normal(size=(5, 3, 2))
def f_inv(a): return np.sum(np.linalg.inv(a) * G[(3, 3)])
def f_inv_stack(a): return np.sum(np.linalg.inv(a) * G[(5, 3, 3)])
def f_det(a): return np.linalg.det(a)
def f_det_stack(a): return np.sum(np.linalg.det(a) * G[(5,)])
def f_det_of_expression(a): return np.log(np.linalg.det(a @ a.T))
def f_solve_vector(a, b): return np.sum(np.linalg.solve(a, b) * G[(3,)])
def f_solve_matrix(a, b): return np.sum(np.linalg.solve(a, b) * G[(3, 2)])
def f_solve_stack_vector(a, b): return np.sum(np.linalg.solve(a, b) * G[(5, 3)])   # b: one vector
def f_solve_broadcast(a, b): return np.sum(np.linalg.solve(a, b) * G[(5, 3, 2)])   # a: one matrix



def f_einsum_matmul(a, b): return np.sum(np.einsum("ij,jk->ik", a, b) * G[(3, 2)])
def f_einsum_implicit(a, b): return np.sum(np.einsum("ij,jk", a, b) * G[(3, 2)])
def f_einsum_summed_alone(a): return np.sum(np.einsum("ij->j", a) * G[(4,)])
def f_einsum_three(u, a, v): return np.einsum("i,ij,j->", u, a, v)
def f_einsum_outer(u, v): return np.sum(np.einsum("i,j->ij", u, v) * G[(3, 4)])
def f_einsum_same_twice(a): return np.sum(np.einsum("ij,kj->ik", a, a) * G[(3, 3)])
def f_einsum_batched(t, b): return np.sum(np.einsum("bij,jk->bik", t, b) * G[(5, 3, 2)])
def f_einsum_nonlinear(a): return np.sum(np.tanh(a.T @ np.einsum("ij,ij->i", a, a)))   # fuzz seed 4161



V3S = rng.normal(size=(5, 3))   # a stack of 3-vectors
def f_cross(a, b): return np.sum(np.cross(a, b) * G[(3,)])
def f_cross_stack(a, b): return np.sum(np.cross(a, b) * G[(5, 3)])   # a stack against one vector
def f_kron_vectors(a, b): return np.sum(np.kron(a, b) * np.arange(12.0))
def f_kron_matrices(a, b): return np.sum(np.kron(a, b) * np.arange(96.0).reshape(12, 8) / 50.0)
def f_convolve(a, b): return np.sum(np.convolve(a, b) * np.arange(6.0))
def f_convolve_same(a, b): return np.sum(np.convolve(a, b, "same") * G[(4,)])
def f_convolve_valid(a, b): return np.sum(np.convolve(a, b, mode="valid") * G[(2,)])


def case(key, f, *args, wrt=(0, 1), marks=()):
    shapes = "@".join("x".join(map(str, np.shape(a))) or "s" for a in args)
    return pytest.param(key, f, args, wrt, id=f"{registry.display_name(key)}-{f.__name__}-{shapes}-wrt{wrt}",
                        marks=marks)


CASES = [
    case(np.cross, f_cross, v3, v3[::-1] + 1.0),
    case(np.cross, f_cross_stack, V3S, v3),
    case(np.kron, f_kron_vectors, v3, v4),
    case(np.kron, f_kron_matrices, A, B),
    case(np.convolve, f_convolve, v3, v4),
    case(np.convolve, f_convolve_same, v4, v3),
    case(np.convolve, f_convolve_valid, v3, v4),
    case(np.einsum, f_einsum_matmul, A, B),
    case(np.einsum, f_einsum_implicit, A, B),
    case(np.einsum, f_einsum_summed_alone, A, wrt=0),
    case(np.einsum, f_einsum_three, v3, A, v4, wrt=(0, 1, 2)),
    case(np.einsum, f_einsum_outer, v3, v4),
    case(np.einsum, f_einsum_same_twice, A, wrt=0),
    case(np.einsum, f_einsum_batched, T, B),
    case(np.einsum, f_einsum_nonlinear, A / 2.0, wrt=0),  # regression: second order joined two tuples
    case(np.linalg.inv, f_inv, SPD, wrt=0),
    case(np.linalg.inv, f_inv_stack, SPD5, wrt=0),
    case(np.linalg.det, f_det, SPD, wrt=0),
    case(np.linalg.det, f_det_stack, SPD5, wrt=0),
    case(np.linalg.det, f_det_of_expression, A, wrt=0),
    case(np.linalg.solve, f_solve_vector, SPD, v3),
    case(np.linalg.solve, f_solve_matrix, SPD, M32),
    case(np.linalg.solve, f_solve_stack_vector, SPD5, v3),
    case(np.linalg.solve, f_solve_broadcast, SPD, M532),
    case(np.outer, f_outer, v3, v4),
    case(np.trace, f_trace, A, wrt=0),
    case(("method", "trace"), f_trace_method, A, wrt=0),
    case(np.dot, f_dot, v3, v3),                   # vector . vector
    case(np.dot, f_dot, A, v4),                    # matrix . vector
    case(np.dot, f_dot, v3, A),                    # vector . matrix
    case(np.dot, f_dot, A, B),                     # matrix . matrix
    case(np.dot, f_dot, 2.0, A),                   # a Python float . matrix
    case(np.dot, f_dot, A, 2.0),
    case(("method", "dot"), f_dot_method, A, B),
    case(("method", "dot"), f_dot_method, A, v4),
    case(("op", "MatMult"), f_matmul_op, v4, v4),
    case(("op", "MatMult"), f_matmul_op, v3, A),
    case(("op", "MatMult"), f_matmul_op, A, v4),
    case(("op", "MatMult"), f_matmul_op, A, B),
    case(("op", "MatMult"), f_matmul_op, T, B),    # batched 3-D @ 2-D
    case(("op", "MatMult"), f_matmul_op, A, T2),   # 2-D @ batched 3-D
    case(("op", "MatMult"), f_matmul_op, T, T2),
    case(("op", "MatMult"), f_matmul_op, T1, T2),  # the batch dimension broadcasts
    case(("op", "MatMult"), f_matmul_op, T, v4),   # stack @ vector; regression (before 4324aa0: ValueError)
    case(("op", "MatMult"), f_matmul_op, v4, T2),  # vector @ stack; regression (ValueError, wrong shape)
    case(("op", "MatMult"), f_gram, A, wrt=0),
    case(np.matmul, f_matmul, v3, A),
    case(np.matmul, f_matmul, A, v4),
    case(np.matmul, f_matmul, A, B),
    case(np.matmul, f_matmul, T, B),
    case(np.linalg.norm, f_norm, v3, wrt=0),
    case(np.linalg.norm, f_norm, A, wrt=0),        # Frobenius
    case(np.linalg.norm, f_norm, T, wrt=0),        # all entries of a 3-D array
    case(np.linalg.norm, f_norm_2, v3, wrt=0),
    case(np.linalg.norm, f_norm_ord_kw, v4, wrt=0),
    case(np.linalg.norm, f_norm_fro, A, wrt=0),
    case(np.linalg.norm, f_norm_axis0, A, wrt=0),
    case(np.linalg.norm, f_norm_axis1_keep, A, wrt=0),
    case(np.linalg.norm, f_norm_axis_neg, A, wrt=0),
    case(np.linalg.norm, f_norm_axes, A, wrt=0),
    case(np.linalg.norm, f_norm_2_axis1, A, wrt=0),
    case(np.linalg.norm, f_norm_fro_axes, A, wrt=0),
    case(np.linalg.norm, f_norm_of_expression, A, wrt=0),
]


@pytest.mark.parametrize("key, f, args, wrt", CASES)
def test_rule_matches_finite_differences(key, f, args, wrt):
    check_grads(f, args, wrt=wrt)


def test_every_linalg_rule_has_a_case():
    mine = {k for k, r in registry.registered()["reverse"].items()
            if r.template.__module__ == "tapeless.rules.linalg"} | {("op", "MatMult"), np.matmul}
    assert mine - {p.values[0] for p in CASES} == set()


# --- gradients by hand ------------------------------------------------------------------
def test_matrix_vector_gradients_by_hand():
    w = G[(3,)]   # f = w . (A v)  =>  df/dA = outer(w, v),  df/dv = A^T w
    dA, dv = tapeless.grad(f_matmul_op, wrt=(0, 1))(A, v4)
    np.testing.assert_allclose(dA, np.outer(w, v4), rtol=1e-12)
    np.testing.assert_allclose(dv, A.T @ w, rtol=1e-12)


def test_matrix_matrix_gradients_by_hand():
    w = G[(3, 2)]  # f = sum(w * (A B))  =>  df/dA = w B^T,  df/dB = A^T w
    dA, dB = tapeless.grad(f_dot, wrt=(0, 1))(A, B)
    np.testing.assert_allclose(dA, w @ B.T, rtol=1e-12)
    np.testing.assert_allclose(dB, A.T @ w, rtol=1e-12)


def test_batched_gradient_sums_over_the_batch():
    w = G[(5, 3, 2)]
    dB = tapeless.grad(f_matmul_op, wrt=1)(T, B)
    np.testing.assert_allclose(dB, sum(T[i].T @ w[i] for i in range(5)), rtol=1e-12)


def test_norm_gradients_by_hand():
    np.testing.assert_allclose(tapeless.grad(f_norm)(v3), v3 / np.sqrt(np.sum(v3 ** 2)), rtol=1e-12)
    np.testing.assert_allclose(tapeless.grad(f_norm)(A), A / np.sqrt(np.sum(A ** 2)), rtol=1e-12)
    np.testing.assert_allclose(tapeless.grad(f_norm_axis0)(A), A / np.sqrt(np.sum(A ** 2, axis=0)) * G[(4,)],
                               rtol=1e-12)
    np.testing.assert_allclose(tapeless.grad(f_norm)(np.array([3.0, 4.0])), [0.6, 0.8], rtol=1e-15)


def test_dot_with_a_python_float_gives_a_float():
    ds = tapeless.grad(f_dot, wrt=0)(2.0, A)
    assert isinstance(ds, float) and ds == pytest.approx(np.sum(A * G[(3, 4)]), rel=1e-12)


# --- documented limitations: refused with ArgumentError when the gradient runs ---------
def f_norm_1(x): return np.linalg.norm(x, 1)
def f_norm_inf(x): return np.linalg.norm(x, np.inf)
def f_norm_spectral(x): return np.linalg.norm(x, 2)
def f_dot_3d(a, b): return np.sum(np.dot(a, b))


@pytest.mark.parametrize("f, args, match", [
    (f_norm_1, (v3,), "ord=1"),
    (f_norm_inf, (v3,), "ord=inf"),
    (f_norm_spectral, (A,), "ord=2"),        # the spectral norm of a matrix
    (f_dot_3d, (T, B), "at most two dimensions"),
], ids=["norm-ord1", "norm-inf", "norm-spectral", "dot-3d"])
def test_unsupported_forms_are_refused(f, args, match):
    with pytest.raises(ArgumentError, match=match):
        tapeless.grad(f)(*args)


def einsum_trace(a): return np.einsum("ii->", a)
def einsum_ellipsis(a): return np.sum(np.einsum("...ij->...j", a))
def einsum_spec_in_a_variable(a, spec): return np.sum(np.einsum(spec, a))


@pytest.mark.parametrize("f, spec", [(einsum_trace, "ii->"), (einsum_ellipsis, "...ij->...j")])
def test_einsum_forms_without_a_reverse_rule_are_refused_by_name_where_they_are(f, spec):
    mode = "reverse"
    pattern = r"np.einsum\('" + spec.replace(".", r"\.") + r"', \.\.\.\) is not differentiated"
    with pytest.raises(tapeless.UnsupportedSyntax, match=pattern) as info:
        tapeless.grad(f, mode=mode)
    assert info.value.location.lineno == f.__code__.co_firstlineno and info.value.location.col > 0
    assert "test_rules_linalg.py" in str(info.value)
    # written in a variable, the specification is seen only when the gradient runs
    with pytest.raises(tapeless.UnsupportedSyntax, match=pattern):
        tapeless.grad(einsum_spec_in_a_variable, mode=mode)(np.eye(3), spec)


@pytest.mark.parametrize("f", [einsum_trace, einsum_ellipsis])
def test_forward_mode_differentiates_every_einsum(f):
    # one einsum per operand with its tangent in place: right for repeated indices and '...'
    check_grads(f, [np.arange(9.0).reshape(3, 3) / 4.0], modes=("fwd",))
    assert tapeless.grad(einsum_trace, mode="forward")(A[:, :3]).tolist() == np.eye(3).tolist()
