"""Indexing and slicing reads, reshape, ravel, transpose."""

import numpy as np

IDX = np.array([0, 2, 2, 3])  # repeated index: gradients must accumulate


def triple_product(x):
    return x[0] * x[1] - x[2] + x[-1] ** 2


def smooth_total_variation(x, eps=1e-2):
    d = x[1:] - x[:-1]
    return np.sum(np.sqrt(d * d + eps))


def matrix_pieces(A):
    col = A[:, 0]
    row = A[1, :]
    corner = A[1:, :2]
    return np.sum(col * row[:3]) + A[0, 1] * np.sum(corner ** 2)


def strided(x):
    even = x[::2]
    odd = x[1::2]
    return np.dot(even, odd) + np.sum(x[::-1] * x)


def reshape_pool(x):
    M = x.reshape(2, 3)
    pooled = M.sum(axis=0)
    flat = np.reshape(M.T, (6,))
    return np.sum(pooled ** 2) + np.dot(flat, np.arange(6.0))


def ravel_quadratic(A, v):
    flat = np.ravel(A)
    return np.dot(A.ravel(), flat) + v @ A @ v


def gather(x):
    picked = x[IDX]
    return np.sum(picked ** 2)


def masked(x, y):
    mask = y > 0
    return np.sum(x[mask] ** 2) + np.sum(np.exp(x[~mask]))


def loop_index_2d(A, B):
    n = A.shape[0]
    trace = 0.0
    for i in range(n):
        for j in range(n):
            trace = trace + A[i, j] * B[j, i]
    return trace


def transpose_gram(A):
    G = A.T @ A
    H = np.transpose(A) @ A + np.matmul(A, A.T).sum()
    return np.sum(G * G) + np.sum(H)


def newaxis_broadcast(a, b):
    D = a[:, None] - b[None, :]
    return np.sum(np.exp(-D ** 2))


def last_row_feature(X, w):
    last = X[-1]
    first_two = X[:2]
    return np.dot(last, w) + np.sum(first_two @ w) ** 2 + X[0][1]


PROGRAMS = [
    (triple_product, (np.array([1.5, -0.5, 2.0, 0.7]),), 0),
    (smooth_total_variation, (np.array([0.1, 0.5, 0.2, 1.1, 0.9]),), 0),
    (matrix_pieces, (np.array([[0.5, 1.0, -0.3, 0.2], [0.7, -1.1, 0.4, 0.9], [1.5, 0.2, -0.8, 0.3]]),), 0),
    (strided, (np.array([0.2, 0.4, -0.6, 1.0, 0.3, -0.1, 0.8, 0.5]),), 0),
    (reshape_pool, (np.array([0.5, -0.3, 1.2, 0.8, 0.1, -0.7]),), 0),
    (ravel_quadratic, (np.array([[1.0, 0.5], [-0.3, 2.0]]), np.array([0.4, -0.9])), (0, 1)),
    (gather, (np.array([0.5, -0.3, 1.2, 0.8]),), 0),
    (masked, (np.array([0.5, -0.3, 1.2, 0.8]), np.array([1.0, -1.0, -2.0, 3.0])), 0),
    (loop_index_2d, (np.array([[0.5, 1.0], [-0.3, 2.0]]), np.array([[1.5, -0.2], [0.4, 0.9]])), (0, 1)),
    (transpose_gram, (np.array([[0.5, 1.0, 0.2], [-0.3, 2.0, -0.4]]),), 0),
    (newaxis_broadcast, (np.array([0.5, -0.3, 1.2]), np.array([0.1, 0.8])), (0, 1)),
    (last_row_feature, (np.array([[0.5, 1.0], [-0.3, 2.0], [0.7, -0.4]]), np.array([0.3, -1.2])), (0, 1)),
]
